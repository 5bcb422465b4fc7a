@vnfm-control @fault
Feature: The VNFM's own faults: internal services unavailable, steps failing or held, notifications misbehaving
  The vendor documentation says: "The ETSI services rely on all other ESC services to operate,
  otherwise there are connectivity-related errors". With one of the VNFM's internal services
  unavailable, a request is refused with a ProblemDetails naming the service and nothing is
  created or changed: no record, no operation occurrence, no cloud resource; once the service is
  back, the same request succeeds. The reference VNFM's control API (/_vnfm/faults) also fails
  or holds an operation at a named step and duplicates, drops or reorders notifications, so that
  an NFVO can be tried against those cases. Every rule is scoped to the scenario's own VNF
  instance or subscription, and removed with the scenario.

  Background:
    Given the scenario runs in its own cloud project

  @sol003 @doc:notes @doc:create-errors
  Scenario: Creating a snapshot while an internal service is unavailable is refused and changes nothing
    Given a VNF "A" from fixture "vb-1vdu"
    And an empty snapshot resource "S"
    And the cloud project's resources are recorded
    And the VNFM's internal service "vim-manager" is unavailable to "CREATE_SNAPSHOT" requests about "A"
    When the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the request is rejected with 503
    And the problem detail names the unavailable service "vim-manager"
    And "A" has no snapshot operation occurrence
    And the snapshot "S" is still empty
    And the cloud project holds the same resources as before the operation
    When the VNFM's internal services are available again
    And the NFVO takes a snapshot of "A" into "S" over SOL003
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @sol003 @doc:notes @doc:revert-errors
  Scenario: Reverting while an internal service is unavailable is refused and changes nothing
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the cloud project's resources are recorded
    And the VNFM's internal service "database" is unavailable to "REVERT_TO_SNAPSHOT" requests about "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the request is rejected with 503
    And the problem detail names the unavailable service "database"
    And "A" has no "REVERT_TO_SNAPSHOT" operation occurrence
    And the cloud project holds the same resources as before the operation
    When the VNFM's internal services are available again
    And the NFVO reverts "A" to "S" over SOL003
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And every volume of "A" now comes from a volume snapshot of "S"

  @sol003 @doc:notes @doc:delete-errors
  Scenario: Deleting a snapshot while an internal service is unavailable is refused and keeps it
    Given a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And the cloud project's resources are recorded
    And the VNFM's internal service "vim-manager" is unavailable to "vnf_snapshots.delete" requests about "A"
    When the NFVO deletes the snapshot "S"
    Then the request is rejected with 503
    And the problem detail names the unavailable service "vim-manager"
    And the snapshot "S" is kept as taken from "A"
    And the cloud still holds the images and volume snapshots of "S"
    And the cloud project holds the same resources as before the operation
    When the VNFM's internal services are available again
    And the NFVO deletes the snapshot "S"
    Then the response status is 204
    And the cloud no longer holds the images and volume snapshots of "S"
    And the snapshot "S" no longer exists

  @sol002 @doc:notes @doc:sol002-errors
  Scenario: A SOL002 snapshot of one VNFC while an internal service is unavailable is refused and changes nothing
    Given a VNF "A" from fixture "vb-2vdu"
    And an empty snapshot resource "S"
    And the cloud project's resources are recorded
    And the VNFM's internal service "vim-manager" is unavailable to "CREATE_SNAPSHOT" requests about "A" over SOL002
    When the EM takes a snapshot of VNFC 1 of "A" into "S" naming the VNFC at top level
    Then the request is rejected with 503
    And the problem detail names the unavailable service "vim-manager"
    And "A" has no snapshot operation occurrence
    And the snapshot "S" is still empty
    And the cloud project holds the same resources as before the operation
    When the VNFM's internal services are available again
    And the EM takes a snapshot of VNFC 1 of "A" into "S" naming the VNFC at top level
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the snapshot "S" holds only VNFC 1 of "A"

  @sol003 @etsi:5.4.14 @cap:retry
  Scenario: A create snapshot that fails at a named step is FAILED_TEMP with that error, and a retry completes it
    Given a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the VNFM fails "CREATE_SNAPSHOT" of "A" once at step "vnfc" with status 503 and detail "the VIM manager lost its session"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "FAILED_TEMP"
    And the operation occurrence failed with status 503 and detail "the VIM manager lost its session"
    And the snapshot "S" is still empty
    When the NFVO asks to retry the operation occurrence
    Then the response status is 202
    And the operation occurrence reaches "COMPLETED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, FAILED_TEMP/RESULT, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @sol003 @etsi:5.6.2
  Scenario: An operation held at a named step stays PROCESSING until it is released, then completes
    Given a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the VNFM holds "CREATE_SNAPSHOT" of "A" at step "vnfc"
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the VNFM holds the operation occurrence in "PROCESSING"
    And the snapshot "S" is still empty
    When the VNFM releases the held operation
    Then the operation occurrence reaches "COMPLETED"
    And the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And the snapshot "S" was taken from "A" with 1 VNFC snapshot

  @sol003 @etsi:5.5.2.17
  Scenario Outline: A subscriber sees what a misbehaving notification delivery sends it
    Given a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A"
    And the VNFM <fault> the next notification to the NFVO's subscription
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    Then the operation occurrence reaches "COMPLETED"
    And the NFVO's endpoint receives exactly <received> for the operation occurrence

    Examples:
      | fault      | received                                                            |
      | duplicates | STARTING/START, STARTING/START, PROCESSING/START, COMPLETED/RESULT |
      | drops      | PROCESSING/START, COMPLETED/RESULT                                  |
      | reorders   | PROCESSING/START, STARTING/START, COMPLETED/RESULT                  |
