@doc:purpose
Feature: Snapshots keep the data
  The documentation opens with what VNF snapshots are for: "As a backup mechanism: Save the main
  disk of the instance to an image and later boot a new instance from this image with saved
  data." and "As a templating mechanism: Customize a base image and save it to use as a
  template for new instances." These scenarios write a distinct marker on every disk of every
  VNFC (through the simulated cloud's control API, or the target file's [data_probe]
  commands), take snapshots, write again, and check what a revert, a new server or a new volume
  brings back. Each check names the sentence it holds. How far apart in time the VNFC snapshots
  are taken and how long each VNFC is out of service during an operation are figures in the
  reports, not verdicts: the documentation promises nothing about them.

  @sol003 @doc:revert @etsi:5.4.22 @data
  Scenario: Reverting the whole VNF brings back every disk of every VNFC as it was when the snapshot was taken
    Given a VNF "A" from fixture "vb-2vdu"
    And a distinct marker "before" is written on every disk of every VNFC of "A"
    And a snapshot "S" of "A"
    And a distinct marker "after" is written on every disk of every VNFC of "A"
    When the NFVO reverts "A" to "S" over SOL003
    Then the operation occurrence reaches "COMPLETED"
    # Documentation: "a revert to VNF snapshot ... to return to a previous version of the VNF"
    And every disk of every VNFC of "A" holds its marker "before"

  @sol002 @doc:revert @etsi:5.4.22 @data
  Scenario: Reverting one VNFC with the SOL002 body brings that VNFC back and leaves the others with their newer data
    Given a VNF "A" from fixture "vb-2vdu"
    And a distinct marker "before" is written on every disk of every VNFC of "A"
    And a snapshot "S" of "A"
    And a distinct marker "after" is written on every disk of every VNFC of "A"
    When the EM reverts VNFC 2 of "A" to its snapshot in "S" over SOL002
    Then the operation occurrence reaches "COMPLETED"
    # Documentation: the payload "restricts the revert to a single VNFC"
    And VNFC 2 of "A" holds its marker "before" and every other VNFC its marker "after"

  @sol003 @doc:revert @data
  Scenario: Reverting one VNFC through SOL003 additionalParams brings that VNFC back and leaves the others with their newer data
    Given a VNF "A" from fixture "vb-2vdu"
    And a distinct marker "before" is written on every disk of every VNFC of "A"
    And a snapshot "S" of "A"
    And a distinct marker "after" is written on every disk of every VNFC of "A"
    When the NFVO reverts VNFC 1 of "A" to its snapshot in "S" through additionalParams
    Then the operation occurrence reaches "COMPLETED"
    # Documentation: the payload "restricts the revert to a single VNFC"
    And VNFC 1 of "A" holds its marker "before" and every other VNFC its marker "after"

  @sol003 @doc:revert @etsi:5.4.22 @data
  Scenario: Of two snapshots of one VNF, reverting to the older one brings back the older data
    Given a VNF "A" from fixture "vb-2vdu"
    And a distinct marker "first" is written on every disk of every VNFC of "A"
    And a snapshot "S1" of "A"
    And a distinct marker "second" is written on every disk of every VNFC of "A"
    And a snapshot "S2" of "A"
    And a distinct marker "third" is written on every disk of every VNFC of "A"
    When the NFVO reverts "A" to "S1" over SOL003
    Then the operation occurrence reaches "COMPLETED"
    # Documentation: "return to a previous version of the VNF": the one the request names
    And every disk of every VNFC of "A" holds its marker "first"

  @sol003 @data
  Scenario Outline: A server booted through Nova from a VNFC snapshot's image holds what the VNFC held when the snapshot was taken
    Given a VNF "A" from fixture "<fixture>"
    And a distinct marker "before" is written on every disk of every VNFC of "A"
    And a snapshot "S" of "A"
    And a distinct marker "after" is written on every disk of every VNFC of "A"
    When a server is booted through Nova from the image of the snapshot of VNFC 1 of "A" in "S"
    # Documentation: "save the main disk of the instance to an image and later boot a new instance from this image with saved data"
    Then the new server holds the marker "before" of VNFC 1 of "A" on every disk

    Examples:
      | fixture      |
      | vb-1vdu      |
      | ib-1vdu-data |

  @sol003 @data-control
  Scenario: A volume made through Cinder from a VNFC snapshot's volume snapshot holds what the volume held when the snapshot was taken
    Given a VNF "A" from fixture "vb-1vdu"
    And a distinct marker "before" is written on every disk of every VNFC of "A"
    And a snapshot "S" of "A"
    And a distinct marker "after" is written on every disk of every VNFC of "A"
    When a volume is made through Cinder from each volume snapshot of the snapshot of VNFC 1 of "A" in "S"
    # Documentation: "save the main disk of the instance ... with saved data"
    Then each of those volumes holds the marker "before" its volume held in "A"

  @sol003
  Scenario Outline: The image of every VNFC snapshot carries Glance's size and digests of its data
    Given a VNF "A" from fixture "<fixture>"
    And a snapshot "S" of "A"
    # Glance: size, checksum (MD5) and os_hash_value are those of the image data
    Then the image of every VNFC snapshot of "S" has the size and digests of its data

    Examples:
      | fixture |
      | vb-1vdu |
      | ib-1vdu |

  @sol003 @doc:create @data-control
  Scenario: How far apart in workload time the disks of one VNF snapshot are taken while the VNF runs
    Given a VNF "A" from fixture "vb-2vdu"
    And the live workload runs on every VNFC of "A"
    And a snapshot "S" of "A"
    # A figure in the reports: the documentation promises nothing about it
    Then the report shows how far apart in workload time the disks of "S" of "A" were taken

  @sol003 @doc:create @doc:revert
  Scenario: What creating a snapshot and reverting to it cost the running service, VNFC by VNFC
    Given a VNF "A" from fixture "vb-2vdu"
    And the service of "A" is watched
    When the NFVO takes a snapshot of "A" into a new snapshot resource "S"
    And the operation occurrence reaches "COMPLETED"
    # Figures in the reports (with a timeline per VNFC): the documentation promises nothing about the outage
    Then the report shows what the operation cost the service of "A"
    When the service of "A" is watched
    And the NFVO reverts "A" to "S" over SOL003
    And the operation occurrence reaches "COMPLETED"
    Then the report shows what the operation cost the service of "A"
