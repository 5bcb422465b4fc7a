@sol003 @doc:create
Feature: Creating a VNF snapshot in two steps
  The NFVO first creates an empty "Individual VNF snapshot" resource, then asks the VNFM to fill
  it from an INSTANTIATED VNF instance. Only the second step is an LCM operation with
  notifications.

  @etsi:5.4.23
  Scenario: Creating a snapshot resource returns its id and self link
    When the NFVO creates a snapshot resource "S" over SOL003
    Then the response status is 201
    And the Location header points to the snapshot resource "S"
    And the response body is a valid VnfSnapshotInfo
    And the body describes the empty snapshot resource "S"

  @doc:notifications
  Scenario: No notification is generated when the snapshot resource is created
    Given a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    When the NFVO creates a snapshot resource "S" over SOL003
    And the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And no notification other than those of the operation occurrences was received

  @etsi:5.4.21
  Scenario: The create snapshot task is accepted with a link to its operation occurrence
    Given a VNF "A" from fixture "vb-1vdu"
    And an empty snapshot resource "S"
    When the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the response status is 202
    And the response body is empty
    And the Location header points to the operation occurrence
    And the operation occurrence reaches "COMPLETED"
    And the operation occurrence is a "CREATE_SNAPSHOT" of "A" for "S"

  @doc:notifications @etsi:5.5.2.17
  Scenario: Creating the snapshot sends STARTING, PROCESSING and COMPLETED notifications
    Given a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And an empty snapshot resource "S"
    When the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the response status is 202
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence

  Scenario: The filled snapshot resource describes the VNF it was taken from
    Given a VNF "A" from fixture "vb-1vdu"
    And an empty snapshot resource "S"
    When the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the operation occurrence reaches "COMPLETED"
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @doc:create-errors
  Scenario: A snapshot resource can be filled only once
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the request is rejected with 409

  @doc:sol002-create @cap:sol003-single-vnfc-create
  Scenario: The VNFC named in additionalParams over SOL003 is the only one snapshotted
    Given a VNF "A" from fixture "vb-2vdu"
    And an empty snapshot resource "S"
    When the NFVO takes a snapshot of VNFC 2 of "A" into "S" naming the VNFC in additionalParams
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the snapshot "S" holds only VNFC 2 of "A"

  @doc:create-errors @cap:sol003-single-vnfc-create
  Scenario: An unknown VNFC named in additionalParams over SOL003 is refused
    Given a VNF "A" from fixture "vb-1vdu"
    And an empty snapshot resource "S"
    When the client sends POST "/vnf_instances/${A}/create_snapshot" over SOL003 with body:
      """
      {"vnfSnapshotInfoId": "${S}", "additionalParams": {"vnfcInstanceId": "${unknown}"}}
      """
    Then the request is rejected with 422
    And the snapshot "S" is still empty

  @doc:create-errors @etsi:5.4.21
  Scenario: The SOL002 top-level vnfcInstanceId sent over SOL003 is refused, ignored or honoured
    Given a VNF "A" from fixture "vb-2vdu"
    And an empty snapshot resource "S"
    When the client sends POST "/vnf_instances/${A}/create_snapshot" over SOL003 with body:
      """
      {"vnfSnapshotInfoId": "${S}", "vnfcInstanceId": "${A.vnfc1}"}
      """
    Then the SOL002 attribute "vnfcInstanceId" is refused over SOL003, or the snapshot of "A" into "S" completes
