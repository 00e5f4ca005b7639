"""Object existence checks behave the same whatever S3 answers for a missing key."""
import pytest
from botocore.stub import Stubber

from photoshoot import storage


@pytest.mark.parametrize("code,status", [("404", 404), ("403", 403)])
def test_a_missing_object_is_none_whether_s3_says_404_or_403(aws, code, status):
    client = storage.s3_client()
    with Stubber(client) as stub:
        stub.add_client_error("head_object", service_error_code=code, http_status_code=status)
        assert storage.head("uploads/1/missing") is None


def test_other_s3_errors_are_not_hidden(aws):
    client = storage.s3_client()
    with Stubber(client) as stub:
        stub.add_client_error("head_object", service_error_code="500", http_status_code=500)
        with pytest.raises(client.exceptions.ClientError):
            storage.head("uploads/1/missing")


def test_an_existing_object_has_its_metadata(aws):
    storage.put_bytes("uploads/1/present", b"x", "image/jpeg")
    assert storage.head("uploads/1/present")["ContentLength"] == 1
