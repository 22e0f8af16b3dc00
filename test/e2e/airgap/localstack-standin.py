"""A stand-in for LocalStack 4.14.0, for machines that cannot pull its image (test/e2e/airgap/README.md).

moto serves the AWS APIs on LocalStack's port; this wrapper adds what the project's compose file and app meet
in LocalStack and moto does differently:
- GET /_localstack/health, which the compose healthcheck reads;
- bucket policies are not enforced (LocalStack community does not enforce them; moto would refuse every
  object request under the module's TLS-only Deny, whose condition it cannot evaluate);
- DeleteObject with If-Match answers 501 NotImplemented, as LocalStack 4.14.0 does.
Like community LocalStack, it keeps nothing across a restart.
"""

import json
import os

from moto.iam.access_control import PermissionResult
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.s3.models import FakeBucket
from werkzeug.serving import run_simple

SERVICES = [s.strip() for s in os.environ.get("SERVICES", "s3,iam,sts").split(",") if s.strip()]

FakeBucket.get_permission = lambda self, action, resource: PermissionResult.PERMITTED

NOT_IMPLEMENTED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code>'
    b"<Message>DeleteObject Preconditions is only supported for Directory Buckets</Message></Error>"
)


def localstack(app):
    def wrapped(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.rstrip("/") == "/_localstack/health":
            body = json.dumps(
                {"services": {name: "available" for name in SERVICES}, "edition": "community", "version": "4.14.0"}
            ).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("REQUEST_METHOD") == "DELETE" and environ.get("HTTP_IF_MATCH") and "uploadId" not in environ.get("QUERY_STRING", ""):
            start_response("501 Not Implemented", [("Content-Type", "application/xml"), ("Content-Length", str(len(NOT_IMPLEMENTED)))])
            return [NOT_IMPLEMENTED]
        return app(environ, start_response)

    return wrapped


if __name__ == "__main__":
    print(f"LocalStack stand-in (moto) serving {', '.join(SERVICES)} on :4566", flush=True)
    run_simple("0.0.0.0", 4566, localstack(DomainDispatcherApplication(create_backend_app)), threaded=True)
