@sol002 @doc:sol002-create
Feature: Creating a snapshot of a single VNFC over SOL002
  SOL002 names one VNFC instance: at top level as ETSI defines it, or inside additionalParams as
  the vendor documentation shows. Only that VNFC is snapshotted; the notifications are those of
  a SOL003 create.

  @etsi:5.4.21
  Scenario: The VNFC named at top level is the only one snapshotted
    Given a VNF "A" from fixture "vb-2vdu"
    And an empty snapshot resource "S"
    When the EM takes a snapshot of VNFC 1 of "A" into "S" naming the VNFC at top level
    Then the response status is 202
    And the Location header points to the operation occurrence
    And the operation occurrence reaches "COMPLETED"
    And the snapshot "S" holds only VNFC 1 of "A"
    And the cloud holds an active image named after each VNFC snapshot of "S"
    And the cloud holds 2 available volume snapshots named after the VNFC snapshots of "S"

  Scenario: The VNFC named in additionalParams is the only one snapshotted
    Given a VNF "A" from fixture "vb-2vdu"
    And an empty snapshot resource "S"
    When the EM takes a snapshot of VNFC 2 of "A" into "S" naming the VNFC in additionalParams
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the snapshot "S" holds only VNFC 2 of "A"
    And the cloud holds 2 available volume snapshots named after the VNFC snapshots of "S"

  @doc:notifications
  Scenario: A single-VNFC snapshot sends the same notifications as SOL003
    Given a VNF "A" from fixture "vb-2vdu"
    And the NFVO subscribes to notifications about "A"
    And an empty snapshot resource "S"
    When the EM takes a snapshot of VNFC 1 of "A" into "S" naming the VNFC in additionalParams
    Then the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the operation occurrence is a "CREATE_SNAPSHOT" of "A" for "S"

  @etsi:5.4.23
  Scenario: The SOL002 root creates snapshot resources too
    When the EM creates a snapshot resource "S" over SOL002
    Then the response status is 201
    And the response body is a valid VnfSnapshotInfo
    And the Location header points to the snapshot resource "S"
    And the body describes the empty snapshot resource "S"

  @doc:sol002-errors
  Scenario: An unknown VNFC instance is refused
    Given a VNF "A" from fixture "vb-1vdu"
    And an empty snapshot resource "S"
    When the client sends POST "/vnf_instances/${A}/create_snapshot" over SOL002 with body:
      """
      {"vnfSnapshotInfoId": "${S}", "vnfcInstanceId": "${unknown}"}
      """
    Then the request is rejected with 422
    And the snapshot "S" is still empty

  @doc:sol002-errors
  Scenario: An unknown snapshot resource id is refused over SOL002
    Given a VNF "A" from fixture "vb-2vdu"
    When the client sends POST "/vnf_instances/${A}/create_snapshot" over SOL002 with body:
      """
      {"vnfSnapshotInfoId": "${unknown}", "additionalParams": {"vnfcInstanceId": "${A.vnfc1}"}}
      """
    Then the request is rejected with 422

  @doc:sol002-errors
  Scenario: An unknown VNF instance is answered with 404 over SOL002
    Given an empty snapshot resource "S"
    When the client sends POST "/vnf_instances/${unknown}/create_snapshot" over SOL002 with body:
      """
      {"vnfSnapshotInfoId": "${S}"}
      """
    Then the request is rejected with 404

  @etsi:SOL002-5.5.3
  Scenario: Notifications to a SOL002 subscription link to resources of the SOL002 API
    Given a VNF "A" from fixture "ib-1vdu"
    And the EM subscribes over SOL002 to notifications about "A"
    And an empty snapshot resource "S"
    When the EM takes a snapshot of VNFC 1 of "A" into "S" naming the VNFC in additionalParams
    Then the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the links of the notifications point under the SOL002 root
