from config.lambda_handler import merge_set_cookie_headers, spell_host_header


def test_each_cookie_gets_a_single_set_cookie_line():
    # What Zappa's REST API response holds for a response with two cookies.
    twice = ["a=1; Path=/", "b=2; Path=/", "a=1; Path=/", "b=2; Path=/"]
    response = {
        "statusCode": 302,
        "headers": {"Location": "/", "Set-Cookie": "b=2; Path=/", "set-cookie": "b=2"},
        "multiValueHeaders": {
            "Location": ["/"],
            "Set-Cookie": twice,
            "set-cookie": twice,
        },
    }

    merge_set_cookie_headers(response)

    assert response["multiValueHeaders"] == {
        "Location": ["/"],
        "Set-Cookie": ["a=1; Path=/", "b=2; Path=/", "b=2"],
    }
    assert response["headers"] == {"Location": "/"}


def test_a_response_without_cookies_is_left_alone():
    response = {
        "headers": {"Vary": "Cookie"},
        "multiValueHeaders": {"Vary": ["Cookie"]},
    }

    merge_set_cookie_headers(response)

    assert response == {
        "headers": {"Vary": "Cookie"},
        "multiValueHeaders": {"Vary": ["Cookie"]},
    }


def test_host_header_of_an_http2_client_is_spelt_as_zappa_expects():
    headers = {"host": "api.example.org", "accept": "*/*"}

    spell_host_header(headers)

    assert headers["Host"] == "api.example.org"


def test_host_header_already_spelt_so_is_kept():
    headers = {"Host": "api.example.org"}

    spell_host_header(headers)

    assert headers == {"Host": "api.example.org"}
