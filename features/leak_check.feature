@fault @leak
Feature: The leak check
  After every scenario on the reference stack, every server, volume, volume snapshot and image
  of the scenario's part of the cloud must be accounted for by the VNFM's records (or be a
  documented leftover); once all scenarios are done, the same holds for the whole cloud.

  Scenario: A resource nothing accounts for is named by the leak check
    Given the scenario runs in its own cloud project
    And a VNF "A" from fixture "vb-1vdu"
    And a snapshot "S" of "A"
    And a volume nothing accounts for is left in the scenario project
    Then the leak check names that volume
