"""
A stand-in for AWS Lambda's Python runtime, for the package test.

    python -I -S runtime.py CODE_DIR PROVIDED_DIR MODULE.FUNCTION

Run in isolated mode without `site`, so the import path holds the standard
library, the unpacked package (Lambda's `/var/task`) and the packages the
real runtime provides (boto3), nothing else. Like Lambda it imports the
handler module once, then calls the function for each event: one JSON event
per line on stdin, one JSON result per line on stdout. Whatever the function
prints goes to stderr, as Lambda sends it to the logs.
"""

import importlib
import json
import os
import sys
import traceback


class Context:
    function_name = "fichero-production"
    memory_limit_in_mb = 1024
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 28_000


def main():
    code_dir, provided_dir, handler_path = sys.argv[1:4]
    results = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.path[:0] = [code_dir, provided_dir]
    os.chdir(code_dir)

    module_name, function_name = handler_path.rsplit(".", 1)
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception:
        reply(results, {"error": traceback.format_exc()})
        return
    reply(results, {"ready": describe_imports()})

    for line in sys.stdin:
        try:
            reply(results, {"response": handler(json.loads(line), Context())})
        except Exception:
            reply(results, {"error": traceback.format_exc()})


def describe_imports():
    """Where the interpreter looks for modules and where some came from."""
    names = ["django", "rest_framework", "config.settings", "zappa.handler", "boto3"]
    return {
        "sys_path": sys.path,
        "modules": {
            name: getattr(sys.modules.get(name), "__file__", None) for name in names
        },
    }


def reply(stream, message):
    stream.write(json.dumps(message) + "\n")
    stream.flush()


if __name__ == "__main__":
    main()
