"""Runs a real local Spark driver with the RPC security conf of a synthesized SparkApplication and tries to reach it.

argv[1]: the conf as JSON. Prints one JSON object: the job's result, whether Spark generated a secret, and for each
client (right secret, wrong secret, no authentication) its exit code and whether it got past authentication.
Everything listens on 127.0.0.1.
"""

import json
import os
import re
import subprocess
import sys

import pyspark
from pyspark.sql import SparkSession

os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
conf = json.loads(sys.argv[1])
builder = (
    SparkSession.builder.master("local[1]")
    .config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.driver.host", "127.0.0.1")
    .config("spark.ui.enabled", "false")
)
for key, value in conf.items():
    builder = builder.config(key, value)
spark = builder.getOrCreate()
sc = spark.sparkContext
result = sc.parallelize(range(100), 4).map(lambda x: x * 2).sum()
env = sc._jvm.org.apache.spark.SparkEnv.get()
# On Kubernetes and in local mode Spark generates the application's secret itself (SecurityManager.initializeAuth).
secret = env.securityManager().getSecretKey()
port = sc.getConf().get("spark.driver.port")
jars = os.path.join(os.path.dirname(pyspark.__file__), "jars", "*")


def client(props, auth_secret):
    """An executor backend (what a rogue pod would run) registering with the driver, started in the background."""
    child_env = {k: v for k, v in os.environ.items() if k != "_SPARK_AUTH_SECRET"}
    if auth_secret is not None:
        # Where Spark on Kubernetes puts the secret for its executors (BasicExecutorFeatureStep).
        child_env["_SPARK_AUTH_SECRET"] = auth_secret
    command = ["java", "-cp", jars, *[f"-D{k}={v}" for k, v in props.items()]]
    command += [
        "-Dspark.rpc.askTimeout=20s",
        "-Dspark.rpc.lookupTimeout=20s",
        "org.apache.spark.executor.CoarseGrainedExecutorBackend",
    ]
    command += [
        "--driver-url",
        f"spark://CoarseGrainedScheduler@127.0.0.1:{port}",
        "--executor-id",
        "99",
    ]
    command += ["--hostname", "127.0.0.1", "--cores", "1", "--app-id", sc.applicationId]
    return subprocess.Popen(
        command,
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


started = {
    "rightSecret": client(conf, secret),
    "wrongSecret": client(conf, "0" * len(secret)),
    "noAuthentication": client({}, None),
}
clients = {}
for name, process in started.items():
    _, stderr = process.communicate(timeout=600)
    clients[name] = {
        "exitCode": process.returncode,
        # The client's transport logs a connection as created only once its bootstraps (here Spark's authentication
        # handshake, the only one configured) have succeeded.
        "passedAuthentication": re.search(
            r"Successfully created connection to \S+ after \d+ ms \([1-9]\d* ms spent in bootstraps\)",
            stderr,
        )
        is not None,
        "authenticationFailed": "Authentication failed" in stderr,
        # The driver's authentication handler answers an RPC that is not its handshake with "Unknown challenge
        # message" (AuthRpcHandler) and drops the connection; which of the two the client sees first is a race.
        "refusedByDriver": re.search(
            r"Unknown challenge message|Connection from \S+ closed|ClosedChannelException|Connection reset",
            stderr,
        )
        is not None,
    }
spark.stop()
print(
    json.dumps({"result": result, "secretGenerated": bool(secret), "clients": clients})
)
