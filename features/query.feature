@sol003 @doc:query
Feature: Querying VNF snapshots
  The list returns an array without the heavy members (vnfInstance, vnfcSnapshots) unless asked;
  the individual resource returns everything.

  @etsi:5.4.23
  Scenario: Querying all VNF snapshots returns an array with the default exclusions
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And an empty snapshot resource "E"
    When the NFVO queries all VNF snapshots
    Then the response status is 200
    And the response body is an array of valid VnfSnapshotInfo
    And the list holds "S" and "E" without vnfInstance and vnfcSnapshots
    And the list entry of "S" summarises the snapshot of "A"

  @etsi:5.4.24
  Scenario: Querying one VNF snapshot returns it in full
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the NFVO queries the snapshot "S"
    Then the response status is 200
    And the response body is a valid VnfSnapshotInfo
    And the body holds the full snapshot of "A" with its VNFC snapshots tied to the instance
    And the ids in the body match the images and volume snapshots on the cloud

  @etsi:5.4.23
  Scenario: The all_fields selector brings back vnfInstance and vnfcSnapshots
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the NFVO queries all VNF snapshots with "filter=(eq,id,${S})&all_fields"
    Then the response status is 200
    And the response body is an array of valid VnfSnapshotInfo
    And the list is exactly "S" with vnfInstance and vnfcSnapshots

  @etsi:5.4.23
  Scenario: A filter on the VNF instance returns only its snapshots
    Given a VNF "A" from fixture "ib-1vdu"
    And a VNF "B" from fixture "ib-1vdu"
    And a snapshot "SA" of "A"
    And a snapshot "SB" of "B"
    When the NFVO queries all VNF snapshots with "filter=(eq,vnfSnapshot/vnfInstanceId,${A})"
    Then the response status is 200
    And the response body is an array of valid VnfSnapshotInfo
    And the list is exactly "SA" without vnfInstance and vnfcSnapshots

  @etsi:5.4.23 @cap:fields-selectors
  Scenario: The fields selector adds one excluded member back
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    When the NFVO queries all VNF snapshots with "filter=(eq,id,${S})&fields=vnfSnapshot/vnfcSnapshots&exclude_default"
    Then the response status is 200
    And the response body is an array of valid VnfSnapshotInfo
    And the list is exactly "S" with vnfcSnapshots but without vnfInstance

  @etsi:5.4.23
  Scenario Outline: Invalid query parameters are rejected
    When the NFVO queries all VNF snapshots with "<query>"
    Then the request is rejected with 400

    Examples:
      | query                                   |
      | filter=(eq,id                           |
      | filter=(like,id,x)                      |
      | all_fields&exclude_default              |
      | fields=id&exclude_fields=vnfSnapshot    |

  @etsi:5.4.23 @cap:paging
  Scenario: Paging returns every snapshot exactly once through the Link header
    Given an empty snapshot resource "E1"
    And an empty snapshot resource "E2"
    And an empty snapshot resource "E3"
    When the NFVO reads every page of the VNF snapshot list
    Then every page was answered with 200 and a valid array
    And the pages hold "E1", "E2" and "E3" once each and no id twice

  @etsi:5.4.24 @doc:delete-errors
  Scenario: Querying an unknown VNF snapshot is answered with 404
    When the client sends GET "/vnf_snapshots/${unknown}" over SOL003
    Then the request is rejected with 404

  @sol002 @etsi:5.4.24
  Scenario: The SOL002 root serves the same snapshot
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    When the client sends GET "/vnf_snapshots/${S}" over SOL002
    Then the response status is 200
    And the response body is a valid VnfSnapshotInfo
    And the body holds the full snapshot of "A" with its VNFC snapshots tied to the instance
    And the links of the snapshot point under the SOL002 root

  @etsi:SOL013-5.3
  Scenario Outline: exclude_fields cannot remove an attribute that is not optional and complex
    When the client sends GET "<collection>?exclude_fields=<path>" over SOL003
    Then the request is rejected with 400, or served as the spec allows
    And the problem detail mentions "<path>"
    And a list served instead still holds "<path>" in every entry

    Examples:
      | collection       | path             |
      | /vnf_snapshots   | id               |
      | /vnf_snapshots   | _links           |
      | /vnf_snapshots   | vnfSnapshot/id   |
      | /vnf_lcm_op_occs | operationState   |
      | /vnf_instances   | vnfdId           |

  @etsi:SOL013-5.3 @etsi:5.4.23 @cap:fields-selectors
  Scenario: exclude_fields removes an optional complex attribute
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    When the NFVO queries all VNF snapshots with "filter=(eq,id,${S})&exclude_fields=vnfSnapshot/vnfcSnapshots"
    Then the response status is 200
    And the response body is an array of valid VnfSnapshotInfo
    And the list is exactly "S" with vnfInstance but without vnfcSnapshots
