@etsi:SOL013
Feature: Common API rules
  Both roots answer under /vnflcm/v2, publish their API versions, demand credentials, and carry
  the Version header on every response.

  @sol003 @etsi:SOL013-9.3
  Scenario: The SOL003 root publishes its API versions
    When the client sends GET "/api_versions" over SOL003
    Then the response status is 200
    And the response body is a valid ApiVersionInformation
    And the API versions include the version the suite sends

  @sol002 @etsi:SOL013-9.3
  Scenario: The SOL002 root publishes its API versions
    When the client sends GET "/api_versions" over SOL002
    Then the response status is 200
    And the response body is a valid ApiVersionInformation
    And the API versions include the version the suite sends

  @sol003 @etsi:SOL013-8.2
  Scenario: A request without credentials is answered with 401
    When the client sends GET "/vnf_snapshots" over SOL003 without credentials
    Then the response status is 401
    And the response has a WWW-Authenticate header
    And any response body is a valid ProblemDetails

  @sol002 @etsi:SOL013-8.2
  Scenario: A SOL002 request without credentials is answered with 401
    When the client sends POST "/vnf_snapshots" over SOL002 without credentials
    Then the response status is 401
    And the response has a WWW-Authenticate header
    And any response body is a valid ProblemDetails

  @sol003 @etsi:SOL013-9.1
  Scenario: A request without the Version header is refused where the target requires it
    When the client sends GET "/vnf_snapshots" over SOL003 without a Version header
    Then the answer follows the target's Version header rule

  @sol002 @etsi:SOL013-9.1
  Scenario: A request for an unsupported major version is answered with 406
    When the client sends GET "/vnf_snapshots" over SOL002 with Version "3.0.0"
    Then the response status is 406
    And any response body is a valid ProblemDetails

  @sol003 @etsi:5.4.24 @cap:405-allow
  Scenario: A method the resource does not support is answered with 405
    Given an empty snapshot resource "E"
    When the client sends PUT "/vnf_snapshots/${E}" over SOL003 with body:
      """
      {}
      """
    Then the response status is 405
    And any response body is a valid ProblemDetails
    And the Allow header lists "GET, DELETE, PATCH if patch-snapshots"

  @sol003 @sol002 @etsi:SOL013-9.1 @rule:version-header @rule:content-type
  Scenario Outline: Every answer carries the Version header and a JSON content type
    When the client sends <method> "<path>" over <api>
    Then the response status is <status>

    Examples:
      | api    | method | path                        | status |
      | SOL003 | GET    | /api_versions               | 200    |
      | SOL003 | GET    | /vnf_snapshots              | 200    |
      | SOL002 | GET    | /vnf_instances              | 200    |
      | SOL003 | GET    | /vnf_lcm_op_occs/${unknown} | 404    |
      | SOL002 | GET    | /vnf_snapshots/${unknown}   | 404    |

  @sol003 @sol002 @etsi:SOL013-6.4 @rule:problem-details
  Scenario Outline: Every error answer is a ProblemDetails carrying the HTTP status
    When the client sends <method> "<path>" over <api> with body:
      """
      <body>
      """
    Then the request is rejected with <status>

    Examples:
      | api    | method | path                                  | body                 | status |
      | SOL003 | GET    | /vnf_snapshots/${unknown}             |                      | 404    |
      | SOL002 | POST   | /vnf_lcm_op_occs/${unknown}/retry     |                      | 404    |
      | SOL003 | POST   | /vnf_instances                        | {"vnfdId": 42}       | 400    |
      | SOL002 | POST   | /subscriptions                        | not json             | 400    |

  @sol003 @etsi:SOL013-4.2 @cap:accept-406
  Scenario Outline: A request whose Accept excludes JSON is answered with 406
    When the client sends GET "/vnf_snapshots" over SOL003 with Accept "<accept>"
    Then the response status is 406
    And any response body is a valid ProblemDetails

    Examples:
      | accept                          |
      | text/html                       |
      | application/xml                 |
      | application/json;q=0, text/html |

  @sol003 @etsi:SOL013-4.2
  Scenario Outline: A request whose Accept includes JSON is served
    When the client sends GET "/vnf_snapshots" over SOL003 with Accept "<accept>"
    Then the response status is 200

    Examples:
      | accept                                |
      | */*                                   |
      | application/*                         |
      | application/json                      |
      | text/html;q=0.9, application/json;q=0.1 |
