@doc:revert @cap:vnfc-connection-points
Feature: The VNFCs' connection points survive a revert
  Each VNFC lists its connection points (vnfcCpInfo, optional in SOL003) and each one leads,
  through its link port of a VNF virtual link, to a Neutron port bound to the VNFC's server
  (SOL003 §5.5.3.5); the cloud's own APIs show it. The reference VNFM rebuilds a reverted
  VNFC's server on the same ports, so the VNFC keeps its IP addresses: its choice, a WARN
  elsewhere. Only for targets that claim vnfc_connection_points.

  @sol003
  Scenario: After a revert each VNFC keeps its ports and IP addresses
    Given a VNF "A" from fixture "vb-2vdu"
    And the ports and IP addresses of every VNFC of "A" are noted
    And a snapshot "S" of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the operation occurrence reaches "COMPLETED"
    And every VNFC of "A" keeps its ports and IP addresses

  @sol003
  Scenario: A single-VNFC revert keeps the ports and IP addresses of every VNFC
    Given a VNF "A" from fixture "vb-2vdu"
    And the ports and IP addresses of every VNFC of "A" are noted
    And a snapshot "S" of "A"
    When the NFVO reverts VNFC 1 of "A" to its snapshot in "S" through additionalParams
    Then the operation occurrence reaches "COMPLETED"
    And only the volumes of VNFC 1 of "A" now come from volume snapshots of "S"
    And every VNFC of "A" keeps its ports and IP addresses
