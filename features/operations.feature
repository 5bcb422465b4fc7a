@sol003 @fault
Feature: Handling failed snapshot operations
  A snapshot operation that fails on the cloud stops in FAILED_TEMP; the NFVO can retry it,
  roll it back or declare it failed, and can cancel one that hangs. Each transition is notified.

  @etsi:5.4.14
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
    And the operation occurrence reaches "COMPLETED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @etsi:5.4.15
  Scenario: Rolling back a failed snapshot operation leaves the resource empty
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the cloud fails "nova" operation "servers.action.createImage" with status 500 and message "compute host unavailable"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "FAILED_TEMP"
    And the NFVO asks to rollback the operation occurrence
    Then the response status is 202
    And the operation occurrence reaches "ROLLED_BACK"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, ROLLING_BACK/START, ROLLED_BACK/RESULT for the operation occurrence
    And the snapshot "S" is still empty

  @etsi:5.4.16
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

  @etsi:5.4.17
  Scenario: Cancelling a hanging snapshot operation
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the cloud gets stuck on "nova" operation "servers.action.createImage"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "PROCESSING"
    And the NFVO asks to cancel the operation occurrence
    Then the response status is 202
    And the operation occurrence reaches "FAILED_TEMP"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT for the operation occurrence

  @etsi:5.4.14
  Scenario: A completed operation cannot be retried
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    When the NFVO asks to retry the operation occurrence
    Then the request is rejected with 409

  @etsi:5.4.21
  Scenario: A second operation on an instance with one in progress is refused
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And the cloud gets stuck on "nova" operation "servers.action.createImage"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "PROCESSING"
    And the NFVO takes a snapshot of "A" into a new snapshot resource "T"
    Then the request is rejected with 409
    And the snapshot "T" is still empty
