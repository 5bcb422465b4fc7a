@sol003 @etsi:5.4.18
Feature: Subscriptions to LCM notifications
  The NFVO subscribes with a callback URI; the VNFM tests the endpoint first, then delivers
  only the notifications the filter selects.

  Scenario: Creating a subscription tests the callback endpoint first
    Given a VNF "A" from fixture "ib-1vdu"
    When the NFVO subscribes to notifications about "A" and reads the response
    Then the response status is 201
    And the response body is a valid LccnSubscription
    And the Location header points to the subscription
    And the VNFM tested the callback endpoint with a GET before answering
    And the subscription carries no authentication

  @etsi:5.4.19
  Scenario: A subscription can be read and deleted
    Given a VNF "A" from fixture "ib-1vdu"
    And the NFVO subscribes to notifications about "A"
    When the client sends GET "/subscriptions/${subscription}" over SOL003
    Then the response status is 200
    And the response body is a valid LccnSubscription
    When the client sends DELETE "/subscriptions/${subscription}" over SOL003
    Then the response status is 204
    When the client sends GET "/subscriptions/${subscription}" over SOL003
    Then the request is rejected with 404

  @etsi:5.4.20
  Scenario: A callback endpoint that fails the test is refused where the VNFM tests it
    When the NFVO subscribes with a callback endpoint that fails the test
    Then the request is rejected with 422, or served as the spec allows

  Scenario: An operation type filter delivers only the selected operations
    Given a VNF "A" from fixture "vb-1vdu"
    And the NFVO subscribes to notifications about "A" for operation "REVERT_TO_SNAPSHOT" only
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the NFVO receives the notifications STARTING/START, PROCESSING/START, COMPLETED/RESULT for the operation occurrence
    And no notification other than those of the last operation occurrence was received

  Scenario: An operation state filter delivers only the selected states
    Given a VNF "A" from fixture "ib-1vdu"
    And the NFVO subscribes to notifications about "A" in state "COMPLETED" only
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the NFVO takes a snapshot of "A" into a new snapshot resource "T"
    Then the NFVO receives the notifications COMPLETED/RESULT for the operation occurrence
    And the NFVO received exactly one COMPLETED notification per operation occurrence

  @etsi:5.5.2.18 @etsi:5.5.2.19
  Scenario: Creating and deleting a VNF instance notifies the subscribers that select it
    Given the NFVO subscribes to all notifications about the VNF instance to be named "N"
    And a VNF "N" from fixture "ib-1vdu"
    When the NFVO terminates and deletes "N"
    Then the NFVO receives the identifier notifications of the creation and the deletion of "N"
    And the identifier notifications frame the operation occurrence notifications

  @etsi:5.5.2.18 @etsi:5.5.2.19
  Scenario: A filter naming only the identifier notifications receives them alone
    Given the NFVO subscribes to identifier notifications about the VNF instance to be named "N"
    And a VNF "N" from fixture "ib-1vdu"
    When the NFVO terminates and deletes "N"
    Then the NFVO receives the identifier notifications of the creation and the deletion of "N"
    And no notification other than the identifier notifications was received

  Scenario: A filter naming only the operation occurrence notifications receives no identifier notification
    Given the NFVO subscribes to operation occurrence notifications about the VNF instance to be named "N"
    And a VNF "N" from fixture "ib-1vdu"
    When the NFVO terminates and deletes "N"
    And a VNF "M" is created from fixture "ib-1vdu" with the name of "N"
    Then the NFVO receives 3 COMPLETED operation occurrence notifications and no identifier notification
