@hostile @etsi:SOL013
Feature: Hostile input on every endpoint of both APIs
  Every bad request is answered with a 4xx ProblemDetails whose status is the HTTP code and
  whose detail says what was wrong; nothing is stored and nothing breaks. The table of inputs,
  answers and scenarios is docs/hostile-input.md.

  Background:
    Given a VNF "A" from fixture "ib-1vdu"
    And an empty snapshot resource "E"

  @etsi:SOL013-6.4
  Scenario Outline: A malformed or mistyped body is answered with 400 naming the problem
    When the client sends <method> "<path>" over <api> with body:
      """
      <body>
      """
    Then the request is rejected with 400
    And the problem detail mentions "<mentions>"
    And "A" has no snapshot operation occurrence
    And the snapshot "E" is still empty

    @sol003
    Examples: malformed JSON
      | api    | method | path                              | body                         | mentions |
      | SOL003 | POST   | /vnf_instances                    | {"vnfdId":                   | json     |
      | SOL003 | POST   | /vnf_snapshots                    | {"vnfSnapshot": {            | json     |
      | SOL003 | PATCH  | /vnf_snapshots/${E}               | {"vnfSnapshot":}             | json     |
      | SOL003 | POST   | /vnf_instances/${A}/create_snapshot | {"vnfSnapshotInfoId": "${E}" | json   |
      | SOL003 | POST   | /vnf_instances/${A}/revert_to_snapshot | [1, 2                   | json     |
      | SOL003 | POST   | /vnf_instances/${A}/terminate     | {terminationType: FORCEFUL}  | json     |
      | SOL003 | POST   | /subscriptions                    | {"callbackUri": "http://x"   | json     |

    @sol002
    Examples: malformed JSON over SOL002
      | api    | method | path                              | body                         | mentions |
      | SOL002 | POST   | /vnf_instances/${A}/create_snapshot | {"vnfSnapshotInfoId"       | json     |
      | SOL002 | POST   | /vnf_snapshots                    | nul                          | json     |
      | SOL002 | POST   | /subscriptions                    | {"filter": [}                | json     |

    @sol003
    Examples: wrong JSON types
      | api    | method | path                              | body                                       | mentions          |
      | SOL003 | POST   | /vnf_instances                    | {"vnfdId": 42}                             | vnfdId            |
      | SOL003 | POST   | /vnf_instances                    | []                                         | object            |
      | SOL003 | POST   | /vnf_instances/${A}/create_snapshot | {"vnfSnapshotInfoId": ["${E}"]}          | vnfSnapshotInfoId |
      | SOL003 | POST   | /vnf_instances/${A}/create_snapshot | "${E}"                                   | object            |
      | SOL003 | POST   | /vnf_instances/${A}/revert_to_snapshot | {"vnfSnapshotInfoId": true}           | vnfSnapshotInfoId |
      | SOL003 | POST   | /vnf_instances/${A}/terminate     | {"terminationType": 1}                     | terminationType   |
      | SOL003 | PATCH  | /vnf_snapshots/${E}               | {"vnfSnapshotPkgId": {}}                   | vnfSnapshotPkgId  |
      | SOL003 | POST   | /subscriptions                    | {"callbackUri": 7}                         | callbackUri       |

    @sol002
    Examples: wrong JSON types over SOL002
      | api    | method | path                              | body                                                     | mentions       |
      | SOL002 | POST   | /vnf_instances/${A}/create_snapshot | {"vnfSnapshotInfoId": "${E}", "vnfcInstanceId": 5}     | vnfcInstanceId |
      | SOL002 | POST   | /vnf_instances/${A}/revert_to_snapshot | {"vnfSnapshotInfoId": "${E}", "additionalParams": 3} | additionalParams |

    @sol003
    Examples: missing required attributes
      | api    | method | path                              | body                          | mentions          |
      | SOL003 | POST   | /vnf_instances                    | {"vnfInstanceName": "x"}      | vnfdId            |
      | SOL003 | POST   | /vnf_instances/${A}/create_snapshot | {}                          | vnfSnapshotInfoId |
      | SOL003 | POST   | /vnf_instances/${A}/revert_to_snapshot | {"additionalParams": {}} | vnfSnapshotInfoId |
      | SOL003 | POST   | /vnf_instances/${A}/terminate     | {}                            | terminationType   |
      | SOL003 | POST   | /subscriptions                    | {"filter": {}}                | callbackUri       |
      | SOL003 | POST   | /vnf_instances/${unknown}/instantiate | {}                        | flavourId         |

  @sol003 @sol002
  Scenario Outline: Unknown attributes are ignored or refused
    When the client sends POST "<path>" over <api> with body:
      """
      <body>
      """
    Then the response status is <status>, or the request is refused as the spec allows

    Examples:
      | api    | path                                | body                                                    | status |
      | SOL003 | /vnf_snapshots                      | {"noSuchAttribute": {"deep": [1, 2]}}                   | 201    |
      | SOL002 | /vnf_snapshots                      | {"x-vendor": "y"}                                       | 201    |
      | SOL003 | /vnf_instances/${A}/create_snapshot | {"vnfSnapshotInfoId": "${E}", "noSuchAttribute": true}  | 202    |

  @sol003 @sol002
  Scenario Outline: Ids that name nothing are answered with 404, whatever they look like
    When the client sends <method> "<path>" over <api>
    Then the request is rejected with 404
    And the problem detail mentions "<mentions>"

    Examples:
      | api    | method | path                                   | mentions |
      | SOL003 | GET    | /vnf_snapshots/not-a-uuid              | not-a-uuid |
      | SOL003 | GET    | /vnf_instances/12345                   | 12345    |
      | SOL002 | GET    | /vnf_lcm_op_occs/${unknown}            | not      |
      | SOL003 | DELETE | /vnf_snapshots/${long}                 | not      |
      | SOL002 | GET    | /subscriptions/${long}                 | not      |
      | SOL003 | GET    | /vnf_snapshots/..%2F..%2Fvnf_instances | not      |
      | SOL003 | GET    | /vnf_instances/%2e%2e%2fvnf_snapshots  | not      |
      | SOL002 | DELETE | /vnf_snapshots/%00                     | not      |
      | SOL003 | POST   | /vnf_lcm_op_occs/${long}/retry         | not      |
      | SOL002 | GET    | /no_such_collection                    | no resource |

  @sol003 @sol002
  Scenario Outline: A path id that is not valid percent-encoded UTF-8 is answered with 400
    When the client sends GET "<path>" over <api>
    Then the request is rejected with 400
    And the problem detail mentions "<mentions>"

    Examples:
      | api    | path                   | mentions |
      | SOL003 | /vnf_snapshots/%FF%FE  | utf-8    |
      | SOL002 | /vnf_instances/%C3%28  | utf-8    |

  @sol003 @sol002 @etsi:SOL013-5.4
  Scenario Outline: A body that is not JSON is answered with 415
    When the client sends POST "<path>" over <api> with Content-Type "<type>" and body:
      """
      {"vnfSnapshotInfoId": "${E}"}
      """
    Then the request is rejected with 415, or served as the spec allows
    And the problem detail mentions "<mentions>"
    And "A" has no snapshot operation occurrence
    And the snapshot "E" is still empty

    Examples:
      | api    | path                                | type                              | mentions |
      | SOL003 | /vnf_instances/${A}/create_snapshot | text/plain                        | text/plain |
      | SOL002 | /vnf_instances/${A}/create_snapshot | application/xml                   | application/xml |
      | SOL003 | /vnf_snapshots                      | application/x-www-form-urlencoded | content-type |
      | SOL003 | /vnf_instances/${A}/create_snapshot |                                   | content-type |

  @sol003 @sol002 @etsi:SOL013-9.1
  Scenario Outline: An unsupported or malformed Version is refused
    When the client sends GET "<path>" over <api> with Version "<version>"
    Then the request is rejected with <status>
    And the problem detail mentions "<mentions>"

    Examples:
      | api    | path                | version     | status | mentions |
      | SOL003 | /vnf_snapshots      | 3.0.0       | 406    | 3.0.0    |
      | SOL002 | /vnf_instances      | 1.3.0       | 406    | 1.3.0    |
      | SOL003 | /vnf_lcm_op_occs    | two         | 400    | two      |
      | SOL002 | /subscriptions      | 2.0         | 400    | 2.0      |
      | SOL003 | /vnf_snapshots/${E} | 02.0.0      | 400    | 02.0.0   |

  @sol003 @sol002 @etsi:SOL013-4.4
  @cap:405-allow
  Scenario Outline: A method a resource does not support is answered with 405 and Allow
    When the client sends <method> "<path>" over <api>
    Then the request is rejected with 405
    And the Allow header lists "<allow>"
    And the problem detail names every method of the Allow header

    Examples:
      | api    | method | path                                   | allow                                 |
      | SOL003 | PUT    | /vnf_snapshots                         | GET, POST                             |
      | SOL003 | PUT    | /vnf_snapshots/${E}                    | GET, DELETE, PATCH if patch-snapshots |
      | SOL002 | DELETE | /vnf_instances                         | GET, POST                             |
      | SOL003 | PUT    | /vnf_instances/${A}                    | GET, DELETE                           |
      | SOL002 | GET    | /vnf_instances/${A}/create_snapshot    | POST                                  |
      | SOL003 | GET    | /vnf_instances/${A}/revert_to_snapshot | POST                                  |
      | SOL003 | DELETE | /vnf_lcm_op_occs                       | GET                                   |
      | SOL002 | POST   | /api_versions                          | GET                                   |

  @sol003 @sol002 @etsi:SOL013-4.4
  @cap:405-allow
  Scenario Outline: A method on an id that names nothing is answered with 405 and Allow, or with 404
    When the client sends <method> "<path>" over <api>
    Then the request is rejected with 405 and an Allow header listing "<allow>", or with 404 as the resource does not exist

    Examples:
      | api    | method | path                                   | allow              |
      | SOL002 | GET    | /vnf_lcm_op_occs/${unknown}/retry      | POST               |
      | SOL003 | PUT    | /subscriptions/${unknown}              | GET, DELETE        |

  @sol003 @sol002 @etsi:SOL013-8.2
  Scenario Outline: Missing or wrong credentials are answered with 401
    When the client sends <method> "<path>" over <api> <credentials>
    Then the request is rejected with 401
    And the response has a WWW-Authenticate header
    And the snapshot "E" is still empty

    Examples:
      | api    | method | path                                | credentials                       |
      | SOL003 | GET    | /vnf_instances                      | without credentials               |
      | SOL002 | DELETE | /vnf_snapshots/${E}                 | without credentials               |
      | SOL003 | POST   | /vnf_instances/${A}/create_snapshot | with wrong credentials            |
      | SOL002 | GET    | /vnf_lcm_op_occs                    | with wrong credentials            |
      | SOL003 | GET    | /subscriptions                      | with the bearer token "forged"    |
      | SOL002 | GET    | /vnf_snapshots/${E}                 | with the bearer token "expired.x" |

  @sol003 @sol002 @cap:max-body-1mib
  Scenario Outline: A body over the documented size limit is answered with 413
    When the client sends POST "<path>" over <api> with a body of 1100000 bytes
    Then the request is rejected with 413
    And the problem detail mentions "<mentions>"
    And "A" has no snapshot operation occurrence

    Examples:
      | api    | path                                | mentions |
      | SOL003 | /vnf_snapshots                      | larger than |
      | SOL002 | /vnf_instances/${A}/create_snapshot | larger than |
      | SOL003 | /subscriptions                      | larger than |

  @sol003 @sol002 @etsi:SOL013-5.2
  Scenario Outline: An invalid filter, selector combination or paging marker is answered with 400
    When the client sends GET "<collection>?<query>" over <api>
    Then the request is rejected with 400
    And the problem detail mentions "<mentions>"

    Examples:
      | api    | collection       | query                                        | mentions       |
      | SOL003 | /vnf_snapshots   | filter=(eq,id                                | filter         |
      | SOL002 | /vnf_instances   | filter=(xeq,id,1)                            | xeq            |
      | SOL003 | /vnf_lcm_op_occs | filter=(eq,operationState)                   | filter         |
      | SOL002 | /subscriptions   | filter=eq,id,1                               | filter         |
      | SOL003 | /vnf_instances   | all_fields&exclude_default                   | all_fields     |
      | SOL003 | /vnf_snapshots   | fields=id&exclude_fields=vnfSnapshot         | exclude_fields |

    @cap:paging
    Examples: paging markers
      | api    | collection       | query                                        | mentions       |
      | SOL003 | /vnf_snapshots   | nextpage_opaque_marker=garbage               | marker         |
      | SOL002 | /vnf_instances   | nextpage_opaque_marker=-1                    | marker         |
      | SOL003 | /vnf_lcm_op_occs | nextpage_opaque_marker=%FF                   | marker         |

  @sol002 @etsi:SOL013-5.2
  Scenario: A repeated filter parameter is refused, or served as the VNFM reads it
    When the client sends GET "/vnf_lcm_op_occs?filter=(eq,id,1)&filter=(eq,id,2)" over SOL002
    Then the request is rejected with 400, or served as the spec allows
    And the problem detail mentions "filter"
