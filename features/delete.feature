@sol003 @doc:delete
Feature: Deleting a VNF snapshot
  Deletion is synchronous: when the VNFM answers, the snapshot and its cloud resources are gone,
  and no notification is sent. Deleting a VNF does not delete its snapshots.

  @etsi:5.4.24
  Scenario Outline: Deleting a snapshot removes its cloud resources before answering
    Given a VNF "A" from fixture "<fixture>"
    And a snapshot "S" of "A"
    When the NFVO deletes the snapshot "S"
    Then the response status is 204
    And the response body is empty
    And the cloud no longer holds the images and volume snapshots of "S"
    And the snapshot "S" no longer exists

    Examples:
      | fixture      |
      | vb-1vdu      |
      | vb-2vdu      |
      | ib-1vdu-data |

  @etsi:5.4.24
  Scenario Outline: A snapshot outlives its VNF instance and can still be deleted
    Given a VNF "A" from fixture "<fixture>"
    And a snapshot "S" of "A"
    When the NFVO terminates and deletes "A"
    And the NFVO deletes the snapshot "S"
    Then the response status is 204
    And the cloud no longer holds the images and volume snapshots of "S"
    And the snapshot "S" no longer exists

    Examples:
      | fixture      |
      | vb-1vdu      |
      | ib-1vdu-data |

  @doc:notifications
  Scenario: Deleting a snapshot sends no notification
    Given a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    And the NFVO subscribes to notifications about "A"
    When the NFVO deletes the snapshot "S"
    And the NFVO takes a snapshot of "A" into a new snapshot resource "T"
    Then the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And no notification other than those of the operation occurrences was received

  @etsi:5.4.24
  Scenario: Deleting a snapshot resource that was never filled
    Given an empty snapshot resource "E"
    When the NFVO deletes the snapshot "E"
    Then the response status is 204
    And the snapshot "E" no longer exists

  @doc:delete-errors @etsi:5.4.24
  Scenario: Deleting an unknown snapshot is answered with 404
    When the client sends DELETE "/vnf_snapshots/${unknown}" over SOL003
    Then the request is rejected with 404

  @doc:notes
  Scenario: Snapshots survive the deletion of their VNF
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    When the NFVO terminates and deletes "A"
    Then the snapshot "S" still describes "A"
    And the cloud still holds the images and volume snapshots of "S"

  @fault @doc:delete-errors @etsi:5.4.24
  Scenario: Deleting while the image service is unreachable keeps the snapshot
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "ib-1vdu"
    And a snapshot "S" of "A"
    And the cloud's "glance" service is unreachable
    When the NFVO deletes the snapshot "S"
    Then the request is rejected with 503
    And the snapshot "S" still describes "A"
    When the cloud recovers
    Then the cloud still holds the images and volume snapshots of "S" (the reference VNFM's choice)
    When the NFVO deletes the snapshot "S"
    Then the response status is 204
    And the cloud no longer holds the images and volume snapshots of "S"

  @natural-duration @etsi:5.4.24
  Scenario: A snapshot in use by a revert that still runs cannot be deleted
    Given a VNF "A" from fixture "vb-2vdu"
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    And the NFVO deletes the snapshot "S" while the operation occurrence runs
    Then the deletion is refused with 409 as the operation occurrence runs
    And the operation occurrence reaches "COMPLETED"
    And the snapshot "S" still describes "A"

  @fault @etsi:5.4.24
  Scenario: A snapshot in use by a running revert cannot be deleted
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the cloud holds "cinder" operation "volumes.create" without answering
    When the NFVO reverts "A" to "S" over SOL003
    And the operation occurrence reaches "PROCESSING"
    And the NFVO deletes the snapshot "S"
    Then the request is rejected with 409
    And the snapshot "S" still describes "A"
