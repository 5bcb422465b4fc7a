@fault @sol003
Feature: Cloud faults during every cloud call of create, revert and delete
  A cloud call that fails (unreachable, timeout, 5xx, quota refusal, a resource stuck in a
  transitional status or going to error) stops the operation in FAILED_TEMP with the cloud's
  message; retry after the fault completes it, rollback leaves the cloud as it was, fail ends it
  in FAILED. DELETE with the cloud down answers 503 and keeps the snapshot; a later DELETE
  succeeds (what the kept snapshot lists meanwhile is the VNFM's choice: the reference lists
  only the cloud resources not deleted yet). Each scenario runs in its own cloud project, so its
  faults touch nobody else.

  Background:
    Given the scenario runs in its own cloud project

  @etsi:5.4.14 @doc:create-errors @cap:retry
  Scenario Outline: A create snapshot that meets a cloud fault is retried to completion
    Given a VNF "A" from fixture "ib-1vdu-data"
    And the NFVO subscribes to notifications about "A"
    And the cloud answers "<operation>" of "<service>" with <fault>
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence error mentions "<message>"
    And the snapshot "S" is still empty
    When the cloud recovers
    And the NFVO asks to retry the operation occurrence
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot
    And the cloud holds an active image named after each VNFC snapshot of "S"
    And the cloud holds 1 available volume snapshot named after the VNFC snapshots of "S"

    Examples:
      | service  | operation                  | fault               | message                  |
      | nova     | servers.action.createImage | unreachable         | got no answer          |
      | nova     | servers.action.createImage | a 500 error         | injected failure         |
      | nova     | servers.action.createImage | a quota error       | quota exceeded           |
      | nova     | servers.action.createImage | a timeout           | timed out                |
      | nova     | servers.action.createImage | a stuck resource    | gave up waiting          |
      | nova     | servers.action.createImage | a resource in error | killed                   |
      | cinder   | snapshots.create           | unreachable         | got no answer          |
      | cinder   | snapshots.create           | a 500 error         | injected failure         |
      | cinder   | snapshots.create           | a quota error       | quota exceeded           |
      | cinder   | snapshots.create           | a timeout           | timed out                |
      | cinder   | snapshots.create           | a resource in error | error                    |
      | glance   | images.show                | unreachable         | got no answer          |
      | glance   | images.show                | a 500 error         | injected failure         |
      | cinder   | snapshots.show             | a 500 error         | injected failure         |

  @etsi:5.4.15 @cap:rollback
  Scenario Outline: Rolling back a create snapshot after a cloud fault leaves the cloud as it was
    Given a VNF "A" from fixture "ib-1vdu-data"
    And the NFVO subscribes to notifications about "A"
    And the cloud project's resources are recorded
    And the cloud answers "<operation>" of "<service>" with <fault>
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "FAILED_TEMP"
    And the cloud recovers
    And the NFVO asks to rollback the operation occurrence
    Then the response status is 202
    And the operation occurrence reaches "ROLLED_BACK"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, ROLLING_BACK/START, ROLLED_BACK/RESULT for the operation occurrence
    And the snapshot "S" is still empty
    And the cloud project holds the same resources as before the operation

    Examples:
      | service | operation                  | fault               |
      | nova    | servers.action.createImage | a timeout           |
      | nova    | servers.action.createImage | a resource in error |
      | cinder  | snapshots.create           | a 500 error         |
      | cinder  | snapshots.create           | a timeout           |
      | glance  | images.show                | unreachable         |

  @etsi:5.4.16 @cap:fail
  Scenario Outline: Declaring a create snapshot failed after a cloud fault
    Given a VNF "A" from fixture "ib-1vdu-data"
    And the NFVO subscribes to notifications about "A"
    And the cloud answers "<operation>" of "<service>" with <fault>
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "FAILED_TEMP"
    And the cloud recovers
    And the NFVO asks to fail the operation occurrence
    Then the response status is 200
    And the body is the operation occurrence in state "FAILED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, FAILED/RESULT for the operation occurrence

    Examples:
      | service | operation                  | fault       |
      | nova    | servers.action.createImage | unreachable |
      | cinder  | snapshots.create           | a 500 error |
      | cinder  | snapshots.create           | a timeout   |

  @doc:create-errors @cap:retry
  Scenario Outline: A real quota refusal is reported with the service's message and retried once raised
    Given a VNF "A" from fixture "<fixture>"
    And the scenario project allows 0 <resource>
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence error mentions "<message>"
    When the scenario project allows 100 <resource>
    And the NFVO asks to retry the operation occurrence
    Then the operation occurrence reaches "COMPLETED"

    Examples:
      | fixture      | resource         | message       |
      | ib-1vdu-data | volume snapshots | SnapshotLimitExceeded |
      | ib-1vdu      | images           | over limit    |

  @etsi:5.4.14 @doc:revert-errors @cap:retry
  Scenario Outline: A revert that meets a cloud fault is retried to completion
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the NFVO subscribes to notifications about "A"
    And the cloud answers "<operation>" of "<service>" with <fault>
    When the NFVO reverts "A" to "S" over SOL003
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence error mentions "<message>"
    When the cloud recovers
    And the NFVO asks to retry the operation occurrence
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And every volume of "A" now comes from a volume snapshot of "S"

    Examples:
      | service | operation      | fault               | message          |
      | cinder  | volumes.create | unreachable         | got no answer  |
      | cinder  | volumes.create | a 500 error         | injected failure |
      | cinder  | volumes.create | a quota error       | quota exceeded   |
      | cinder  | volumes.create | a resource in error | error            |
      | cinder  | volumes.show   | a 500 error         | injected failure |
      | nova    | servers.delete | unreachable         | got no answer  |
      | nova    | servers.delete | a 500 error         | injected failure |
      | nova    | servers.create | a 500 error         | injected failure |
      | nova    | servers.create | a quota error       | quota exceeded   |
      | nova    | servers.create | a resource in error | error            |
      | nova    | servers.show   | a timeout           | timed out        |

  @etsi:5.4.16 @doc:revert-errors @cap:fail
  Scenario Outline: Declaring a revert failed after a cloud fault
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the NFVO subscribes to notifications about "A"
    And the cloud answers "<operation>" of "<service>" with <fault>
    When the NFVO reverts "A" to "S" over SOL003
    And the operation occurrence reaches "FAILED_TEMP"
    And the cloud recovers
    And the NFVO asks to fail the operation occurrence
    Then the response status is 200
    And the body is the operation occurrence in state "FAILED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, FAILED/RESULT for the operation occurrence

    Examples:
      | service | operation      | fault       |
      | nova    | servers.create | a 500 error |
      | cinder  | volumes.create | a 500 error |

  @etsi:5.4.15 @doc:revert-errors
  Scenario: Rolling back a failed revert is refused where the VNFM does not support it
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the cloud answers "servers.create" of "nova" with a 500 error
    When the NFVO reverts "A" to "S" over SOL003
    And the operation occurrence reaches "FAILED_TEMP"
    And the NFVO asks to rollback the operation occurrence
    Then the request is rejected with 404, or served as the spec allows

  @etsi:5.4.24 @doc:delete-errors
  Scenario Outline: DELETE with the cloud failing answers 503, keeps the snapshot, and succeeds later
    Given a VNF "A" from fixture "ib-1vdu-data"
    And a snapshot "S" of "A"
    And the cloud answers "<operation>" of "<service>" with <fault>
    When the NFVO deletes the snapshot "S"
    Then the request is rejected with 503
    And the problem detail mentions "<message>"
    And the snapshot "S" is kept as taken from "A"
    And the snapshot "S" lists only cloud resources that still exist (the reference VNFM's choice)
    When the cloud recovers
    And the NFVO deletes the snapshot "S"
    Then the response status is 204
    And the cloud no longer holds the images and volume snapshots of "S"
    And the snapshot "S" no longer exists

    Examples:
      | service | operation        | fault       | message          |
      | glance  | images.delete    | unreachable | got no answer  |
      | glance  | images.delete    | a 500 error | injected failure |
      | cinder  | snapshots.delete | unreachable | got no answer  |
      | cinder  | snapshots.delete | a 500 error | injected failure |

  @doc:create-errors @cap:retry
  Scenario: A Keystone failure while renewing the token fails the operation until it recovers
    Given a VNF "A" from fixture "ib-1vdu"
    And the cloud revokes every token of the scenario project
    And the cloud answers "tokens.create" of "keystone" with a 500 error
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence error mentions "injected failure"
    When the cloud recovers
    And the NFVO asks to retry the operation occurrence
    Then the operation occurrence reaches "COMPLETED"

  @doc:create
  Scenario: Expired Keystone tokens are renewed transparently
    Given a VNF "A" from fixture "vb-1vdu"
    And the cloud revokes every token of the scenario project
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "COMPLETED"
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @etsi:5.4.24 @etsi:5.4.22 @doc:revert-errors
  Scenario: A snapshot whose DELETE failed half-way is refused or ends cleanly as a revert target, and can be deleted
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the cloud answers "snapshots.delete" of "cinder" with a 500 error
    When the NFVO deletes the snapshot "S"
    Then the request is rejected with 503
    And the snapshot "S" is kept as taken from "A"
    And the snapshot "S" lists only cloud resources that still exist (the reference VNFM's choice)
    When the NFVO reverts "A" to "S" over SOL003
    Then the revert to the partly deleted "S" is refused, or its operation ends (the reference VNFM refuses it with 409)
    When the cloud recovers
    And the NFVO deletes the snapshot "S"
    Then the response status is 204
    And the cloud no longer holds the images and volume snapshots of "S"
