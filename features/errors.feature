@sol003 @doc:create-errors
Feature: Error conditions of snapshot creation
  Invalid ids, an instance in the wrong state or on the wrong VIM are refused synchronously;
  cloud trouble during the operation ends it in FAILED_TEMP with the cloud's message.

  Scenario: An unknown snapshot resource id is refused
    Given a VNF "A" from fixture "vb-1vdu"
    When the client sends POST "/vnf_instances/${A}/create_snapshot" over SOL003 with body:
      """
      {"vnfSnapshotInfoId": "${unknown}"}
      """
    Then the request is rejected with 422

  Scenario: An unknown VNF instance id is answered with 404
    Given an empty snapshot resource "S"
    When the client sends POST "/vnf_instances/${unknown}/create_snapshot" over SOL003 with body:
      """
      {"vnfSnapshotInfoId": "${S}"}
      """
    Then the request is rejected with 404
    And the snapshot "S" is still empty

  Scenario: A VNF that is not instantiated cannot be snapshotted
    Given a VNF "A" from fixture "not-instantiated"
    And an empty snapshot resource "S"
    When the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the request is rejected with 409
    And the snapshot "S" is still empty

  @serial @cap:quota-admin @cap:retry
  Scenario: A volume snapshot quota reached on the cloud fails the operation until it is restored
    Given a VNF "A" from fixture "ib-1vdu-data"
    And the cloud project allows no more volume snapshots than it holds
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence has an error
    And the operation occurrence error mentions "SnapshotLimitExceeded"
    And the snapshot "S" is still empty
    When the cloud project's volume snapshot quota is restored
    And the NFVO asks to retry the operation occurrence
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @doc:notes @cap:non-openstack-vim
  Scenario: A VNF on a non-OpenStack VIM cannot be snapshotted
    Given a VNF "A" from fixture "vcd-1vdu"
    And an empty snapshot resource "S"
    When the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the limitation is refused with 409
    And the snapshot "S" is still empty

  @etsi:5.4.21
  Scenario: A malformed body is answered with 400
    Given a VNF "A" from fixture "vb-1vdu"
    When the client sends POST "/vnf_instances/${A}/create_snapshot" over SOL003 with body:
      """
      {"vnfSnapshotInfoId": 
      """
    Then the request is rejected with 400

  @etsi:5.4.21
  Scenario: A body without vnfSnapshotInfoId is refused
    Given a VNF "A" from fixture "vb-1vdu"
    When the client sends POST "/vnf_instances/${A}/create_snapshot" over SOL003 with body:
      """
      {"additionalParams": {}}
      """
    Then the request is rejected with 400

  @etsi:5.5.2.13 @etsi:5.6.2
  Scenario: A VNFC whose server was deleted behind the VNFM's back fails the operation with an error
    Given a VNF "A" from fixture "ib-1vdu"
    And the server of VNFC 1 of "A" was deleted on the cloud behind the VNFM's back
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the request is refused, or its operation fails with an error

  @fault
  Scenario: An unreachable OpenStack fails the operation
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the cloud's "nova" service is unreachable
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT for the operation occurrence
    And the operation occurrence reaches "FAILED_TEMP"
    And the snapshot "S" is still empty

  @fault
  Scenario: An exceeded volume snapshot quota fails the operation with the cloud's message
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the scenario project allows 0 volume snapshots
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence error mentions "exceeded"

  @fault
  Scenario: An exceeded image quota fails the operation
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "ib-1vdu"
    And the scenario project allows 0 images
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence has an error

  @fault
  Scenario: A failing service the VNFM depends on fails the operation with its message
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the cloud fails "nova" operation "servers.action.createImage" with status 503 and message "nova-compute is down"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence error mentions "nova-compute is down"
