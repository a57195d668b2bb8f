"""A Python Pulumi program that runs an API with healthy-fargate's HealthyFargateService.

`pulumi_healthy_fargate` is the SDK `pulumi package add` generates from this repository's
component package (provider/); see README.md. The cluster, VPC and shared load balancer come from
the platform team's stack, as they would in most organisations.
"""
import json

import pulumi
import pulumi_healthy_fargate as hf

config = pulumi.Config()
platform = pulumi.StackReference(config.require("platformStack"))

api = hf.HealthyFargateService(
    "api",
    cluster=platform.require_output("clusterArn"),
    vpc_id=platform.require_output("vpcId"),
    subnet_ids=platform.require_output("privateSubnetIds"),
    listener=hf.ListenerArgs(
        listener_arn=platform.require_output("httpsListenerArn"),
        security_group_id=platform.require_output("albSecurityGroupId"),
        dns_name=platform.require_output("albDnsName"),
        protocol=hf.UrlScheme.HTTPS,
    ),
    routing=hf.RoutingArgs(priority=30, path_patterns=["/hokusai/*"]),
    # An image built on python:3.12-slim: no curl in it, so the probe runs python3.
    image=config.require("image"),
    port=8000,
    probe=hf.ProbeArgs(tool=hf.ProbeTool.PYTHON, liveness_path="/health/live", readiness_path="/health/ready"),
    startup=hf.StartupArgs(expected_seconds=20, worst_case_seconds=60),
    drain=hf.DrainArgs(longest_request_seconds=30, shutdown_seconds=10),
    cpu=1024,
    memory=2048,
    desired_count=2,
    environment={
        "LOG_LEVEL": "info",
        "DATABASE_HOST": platform.require_output("databaseHost"),
    },
    secrets={
        # One key of the JSON secret RDS manages for the master user.
        "DATABASE_PASSWORD": hf.SecretSourceArgs(
            kind=hf.SecretKind.SECRETS_MANAGER,
            ref=platform.require_output("databaseSecretArn"),
            json_key="password",
        ),
        # An SSM parameter by name: this region and account.
        "REDIS_URL": hf.SecretSourceArgs(kind=hf.SecretKind.SSM_PARAMETER, ref="/platform/hokusai/redis-url"),
        # A value of this stack's config: stored in a new Secrets Manager secret by the component.
        "API_TOKEN": hf.SecretSourceArgs(kind=hf.SecretKind.VALUE, ref=config.require_secret("apiToken")),
    },
    alarms=hf.AlarmsArgs(
        sns_topic_arn=platform.require_output("opsTopicArn"),
        latency_p90=hf.LatencyAlarmArgs(threshold_seconds=2),
        rollback_on=[hf.AlarmName.TARGET_ERROR_RATE, hf.AlarmName.UNHEALTHY_HOSTS],
    ),
    deployment=hf.DeploymentArgs(strategy=hf.DeploymentStrategy.ROLLING),
    task_role_statements=[
        hf.TaskRoleStatementArgs(actions=["s3:GetObject"], resources=[platform.require_output("modelsBucketObjectsArn")]),
    ],
    tags={"team": "hokusai"},
)

pulumi.export("serviceName", api.service_name)
pulumi.export("url", api.url)
pulumi.export("logGroup", api.log_group_name)
pulumi.export(
    "gracePeriodSeconds",
    api.health_contract_json.apply(lambda contract: json.loads(contract)["timings"]["healthCheckGracePeriodSeconds"]),
)
