@sol003 @etsi:5.4.24 @cap:patch-snapshots
Feature: Modifying a VNF snapshot resource
  PATCH fills an empty resource (for example with a snapshot package id); an ETag guards it,
  and a resource that already holds a snapshot cannot be modified.

  @cap:etag
  Scenario: Modifying an empty resource with a matching ETag
    Given an empty snapshot resource "E"
    When the NFVO reads the snapshot "E" and patches it with its ETag and body:
      """
      {"vnfSnapshotPkgId": "pkg-1"}
      """
    Then the response status is 200
    And the response body is a valid VnfSnapshotInfoModifications
    And the body reports the modified vnfSnapshotPkgId "pkg-1"
    And the snapshot "E" now has a new ETag and vnfSnapshotPkgId "pkg-1"

  @cap:etag
  Scenario: Modifying with a stale ETag is refused with 412
    Given an empty snapshot resource "E"
    When the NFVO reads the snapshot "E" and patches it with a stale ETag and body:
      """
      {"vnfSnapshotPkgId": "pkg-1"}
      """
    Then the request is rejected with 412
    And the snapshot "E" is still empty

  Scenario: A resource that holds a snapshot cannot be modified
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    When the client sends PATCH "/vnf_snapshots/${S}" over SOL003 with body:
      """
      {"vnfSnapshotPkgId": "pkg-1"}
      """
    Then the request is rejected with 409

  @hostile
  Scenario: Snapshot content that does not fit the data types is refused, naming the attribute
    Given an empty snapshot resource "E"
    When the client sends PATCH "/vnf_snapshots/${E}" over SOL003 with body:
      """
      {"vnfSnapshot": {"id": "x", "vnfInstanceId": "i", "creationStartedAt": "yesterday", "vnfdId": "d", "vnfInstance": {}, "vnfcSnapshots": []}}
      """
    Then the request is rejected with 400
    And the problem detail mentions "vnfSnapshot.creationStartedAt"
    And the snapshot "E" is still empty
    When the client sends POST "/vnf_snapshots" over SOL003 with body:
      """
      {"vnfSnapshot": {"id": "x", "vnfInstanceId": "i", "creationStartedAt": "2024-01-01T00:00:00Z", "vnfdId": "d", "vnfInstance": "anything", "vnfcSnapshots": [{"id": "c", "vnfcInstanceId": "c", "creationStartedAt": "2024-01-01T00:00:00Z", "vnfcResourceInfoId": "c"}]}}
      """
    Then the request is rejected with 400
    And the problem detail mentions "vnfSnapshot.vnfInstance"
