@concurrency @sol003
Feature: Operations at the same time
  One operation at a time per VNF instance: of two sent together exactly one is accepted.
  Many instances snapshotting at once all complete, and every subscriber receives every
  notification once and in order.

  @fault @etsi:5.4.21
  Scenario: Of two snapshot requests sent together on one instance exactly one is accepted
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "ib-1vdu"
    And the cloud holds "nova" operation "servers.action.createImage" without answering
    When the NFVO sends two snapshot requests for "A" at the same time
    Then exactly one request is accepted with 202 and the other is rejected with 409
    And the request is rejected with 409
    And the problem detail mentions "operation"
    When the cloud recovers
    Then every operation occurrence completes

  @fault @etsi:5.4.24
  Scenario: A snapshot cannot be deleted while a revert uses it
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the cloud holds "cinder" operation "volumes.create" without answering
    When the NFVO reverts "A" to "S" over SOL003
    And the operation occurrence reaches "PROCESSING"
    And the NFVO deletes the snapshot "S"
    Then the request is rejected with 409
    And the problem detail mentions "in use"
    And the snapshot "S" still describes "A"

  @etsi:5.5.2.17 @doc:notifications
  Scenario: 50 VNF instances snapshotting at once all complete and every subscriber hears everything once, in order
    Given 50 VNFs "V1" to "V50" from fixture "ib-1vdu"
    And 2 NFVO subscribers to notifications about all those VNFs
    When every VNF "VN" takes a snapshot into "SN" at the same time
    Then every operation occurrence completes
    And every subscriber receives STARTING/START, PROCESSING/START, COMPLETED/RESULT once and in order for every operation occurrence
