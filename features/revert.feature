@doc:revert
Feature: Reverting a VNF to a VNF snapshot
  The whole VNF (SOL003) or one VNFC (SOL002 body, or SOL003 additionalParams) goes back to a
  snapshot. Documented limitations: no revert without a bootable volume, none with out-of-band
  volumes, and the old volumes stay on the VIM.

  @sol003 @etsi:5.4.22 @doc:notifications
  Scenario: Reverting the whole VNF sends STARTING, PROCESSING and COMPLETED notifications
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the NFVO subscribes to notifications about "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the response status is 202
    And the response body is empty
    And the Location header points to the operation occurrence
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the operation occurrence is a "REVERT_TO_SNAPSHOT" of "A" for "S"

  @sol003
  Scenario: After a revert the VNF runs on volumes restored from the snapshot
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the operation occurrence reaches "COMPLETED"
    And every volume of "A" now comes from a volume snapshot of "S"

  @sol002 @etsi:5.4.22
  Scenario: Reverting one VNFC with the SOL002 body
    Given a VNF "A" from fixture "vb-2vdu"
    And a snapshot "S" of "A"
    When the EM reverts VNFC 1 of "A" to its snapshot in "S" over SOL002
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the operation occurrence is a "REVERT_TO_SNAPSHOT" of "A" for "S"
    And only the volumes of VNFC 1 of "A" now come from volume snapshots of "S"

  @sol003
  Scenario: Reverting one VNFC through SOL003 additionalParams
    Given a VNF "A" from fixture "vb-2vdu"
    And a snapshot "S" of "A"
    When the NFVO reverts VNFC 1 of "A" to its snapshot in "S" through additionalParams
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the operation occurrence is a "REVERT_TO_SNAPSHOT" of "A" for "S"
    And only the volumes of VNFC 1 of "A" now come from volume snapshots of "S"

  @sol003 @doc:limitations
  Scenario: A VNF without a bootable volume cannot be reverted
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the limitation is refused with 409

  @sol003 @doc:limitations
  Scenario: A VNF with out-of-band volumes cannot be reverted
    Given a VNF "A" from fixture "vb-oob"
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the limitation is refused with 409

  @sol003 @doc:limitations
  Scenario: The volumes replaced by a revert are left on the cloud
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the operation occurrence reaches "COMPLETED"
    And the volumes "A" used when "S" was taken are still on the cloud

  @sol003 @fault @doc:limitations
  Scenario: The VNFM tries to delete the replaced volumes and the cloud refuses
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the operation occurrence reaches "COMPLETED"
    And the cloud refused to delete the volumes "A" used when "S" was taken

  @sol003 @doc:revert-errors
  Scenario: Reverting to an unknown snapshot is refused
    Given a VNF "A" from fixture "vb-1vdu"
    When the client sends POST "/vnf_instances/${A}/revert_to_snapshot" over SOL003 with body:
      """
      {"vnfSnapshotInfoId": "${unknown}"}
      """
    Then the request is rejected with 422

  @sol003 @doc:revert-errors
  Scenario: Reverting to a snapshot resource that was never filled is refused
    Given a VNF "A" from fixture "vb-1vdu"
    And an empty snapshot resource "E"
    When the NFVO reverts "A" to "E" over SOL003
    Then the request is rejected with 422

  @sol002 @doc:revert-errors
  Scenario: Reverting an unknown VNFC is refused
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the client sends POST "/vnf_instances/${A}/revert_to_snapshot" over SOL002 with body:
      """
      {"vnfSnapshotInfoId": "${S}", "vnfcInstanceId": "${unknown}", "vnfcSnapshotInfoId": "${S.vnfcSnapshot1}"}
      """
    Then the request is rejected with 422

  @sol003 @doc:revert-errors @etsi:5.4.22
  Scenario: The SOL002 single-VNFC revert body sent over SOL003 is refused, ignored or honoured
    Given a VNF "A" from fixture "vb-2vdu"
    And a snapshot "S" of "A"
    When the client sends POST "/vnf_instances/${A}/revert_to_snapshot" over SOL003 with body:
      """
      {"vnfSnapshotInfoId": "${S}", "vnfcInstanceId": "${A.vnfc1}", "vnfcSnapshotInfoId": "${S.vnfcSnapshot1}"}
      """
    Then the SOL002 attributes are refused over SOL003, or the revert of "A" to "S" completes
