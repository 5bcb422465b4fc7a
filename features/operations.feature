@sol003
Feature: Snapshot operation occurrences and their error handling
  Operation occurrences can be listed and filtered. One that fails on the cloud stops in FAILED_TEMP; the NFVO can retry it,
  roll it back or declare it failed, and can cancel one that hangs. Each transition is notified.

  @fault @etsi:5.4.14 @cap:retry
  Scenario: Retrying a failed snapshot operation completes it
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the cloud fails "nova" operation "servers.action.createImage" once with status 500 and message "compute host unavailable"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "FAILED_TEMP"
    Then the operation occurrence error mentions "compute host unavailable"
    When the NFVO asks to retry the operation occurrence
    Then the response status is 202
    And the response body is empty
    And the operation occurrence reaches "COMPLETED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @fault @etsi:5.4.15 @cap:rollback
  Scenario: Rolling back a failed snapshot operation leaves the resource empty
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the cloud fails "nova" operation "servers.action.createImage" with status 500 and message "compute host unavailable"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "FAILED_TEMP"
    And the NFVO asks to rollback the operation occurrence
    Then the response status is 202
    And the response body is empty
    And the operation occurrence reaches "ROLLED_BACK"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, ROLLING_BACK/START, ROLLED_BACK/RESULT for the operation occurrence
    And the snapshot "S" is still empty

  @fault @etsi:5.4.16 @cap:fail
  Scenario: Declaring a failed snapshot operation failed
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the cloud fails "nova" operation "servers.action.createImage" with status 500 and message "compute host unavailable"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "FAILED_TEMP"
    And the NFVO asks to fail the operation occurrence
    Then the response status is 200
    And the response body is a valid VnfLcmOpOcc
    And the body is the operation occurrence in state "FAILED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, FAILED/RESULT for the operation occurrence

  @fault @etsi:5.4.17 @cap:cancel
  Scenario: Cancelling a hanging snapshot operation
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the cloud holds "nova" operation "servers.action.createImage" without answering
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "PROCESSING"
    And the NFVO asks to cancel the operation occurrence
    Then the response status is 202
    And the response body is empty
    And the operation occurrence reaches "FAILED_TEMP"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT for the operation occurrence

  @etsi:5.4.14
  Scenario: A completed operation cannot be retried
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    When the NFVO asks to retry the operation occurrence
    Then the request is rejected with 409

  @fault @etsi:5.4.21
  Scenario: A second operation on an instance with one in progress is refused
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the cloud holds "nova" operation "servers.action.createImage" without answering
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "PROCESSING"
    And the NFVO takes a snapshot of "A" into a new snapshot resource "T"
    Then the request is rejected with 409
    And the snapshot "T" is still empty

  @etsi:5.4.12
  Scenario: Operation occurrences can be listed with a filter
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    And a VNF "B" from fixture "ib-1vdu"
    And a snapshot "T" of "B"
    When the client sends GET "/vnf_lcm_op_occs?filter=(eq,vnfInstanceId,${A});(eq,operation,CREATE_SNAPSHOT)" over SOL003
    Then the response status is 200
    And the response body is an array of valid VnfLcmOpOcc
    And the list is exactly the operation occurrence that took "S"
