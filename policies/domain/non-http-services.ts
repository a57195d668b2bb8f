/**
 * Containers that do not speak HTTP: data stores and brokers by their well-known port or image. An
 * ALB (or an HTTP health check) in front of one can never get an HTTP answer, so every target stays
 * unhealthy and ECS replaces the tasks forever.
 *
 * Ports are the servers' documented defaults (IANA registrations and each project's docs): Redis and
 * Valkey 6379, PostgreSQL 5432, MySQL/MariaDB 3306, MongoDB 27017, Memcached 11211, Kafka 9092,
 * AMQP (RabbitMQ) 5672, SQL Server 1433, Oracle 1521, ZooKeeper 2181, Cassandra 9042. Images are the
 * official (Docker Hub library) and widely used vendor images of those servers; their protocols are
 * not HTTP on any port. RabbitMQ is judged by port only: its management plugin serves HTTP on 15672.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */
import { parseImageRef } from "./base-images";

/** Well-known ports of servers that do not speak HTTP. */
export const NON_HTTP_PORTS: Readonly<Record<number, string>> = {
    6379: "Redis",
    5432: "PostgreSQL",
    3306: "MySQL",
    27017: "MongoDB",
    11211: "Memcached",
    9092: "Kafka",
    5672: "AMQP (RabbitMQ)",
    1433: "SQL Server",
    1521: "Oracle",
    2181: "ZooKeeper",
    9042: "Cassandra",
};

/** Repositories (normalised by `parseImageRef`) of servers that speak no HTTP on any port. */
const NON_HTTP_IMAGES: ReadonlyArray<{ pattern: RegExp; server: string }> = [
    { pattern: /^(library\/redis|bitnami\/redis|redis\/redis-stack-server|valkey\/valkey|bitnami\/valkey)$/, server: "Redis" },
    {
        pattern: /^(library\/postgres|bitnami\/postgresql|postgis\/postgis|pgvector\/pgvector|timescale\/timescaledb)$/,
        server: "PostgreSQL",
    },
    { pattern: /^(library\/mysql|library\/mariadb|bitnami\/mysql|bitnami\/mariadb|mysql\/mysql-server)$/, server: "MySQL" },
    { pattern: /^(library\/mongo|bitnami\/mongodb|mongodb\/mongodb-community-server)$/, server: "MongoDB" },
    { pattern: /^(library\/memcached|bitnami\/memcached)$/, server: "Memcached" },
    { pattern: /^(apache\/kafka|bitnami\/kafka|confluentinc\/cp-kafka)$/, server: "Kafka" },
    { pattern: /^(library\/zookeeper|bitnami\/zookeeper)$/, server: "ZooKeeper" },
    { pattern: /^(library\/cassandra|bitnami\/cassandra)$/, server: "Cassandra" },
];

export interface NonHttpService {
    /** The server, e.g. "Redis". */
    server: string;
    /** What gave it away: the image or the port. */
    evidence: string;
}

/** The non-HTTP server a container runs, by its image (when known) or the port traffic goes to. */
export function nonHttpService(input: { image?: string; port?: number }): NonHttpService | undefined {
    const ref = input.image !== undefined ? parseImageRef(input.image) : undefined;
    const byImage = ref ? NON_HTTP_IMAGES.find((i) => i.pattern.test(ref.repository)) : undefined;
    if (byImage) return { server: byImage.server, evidence: `image ${JSON.stringify(input.image)} runs ${byImage.server}` };
    const byPort = input.port !== undefined ? NON_HTTP_PORTS[input.port] : undefined;
    if (byPort) return { server: byPort, evidence: `port ${input.port} is ${byPort}'s` };
    return undefined;
}

/** How to serve a non-HTTP server instead of an ALB. */
export function nonHttpServiceFix(server: string, port: number | undefined): string {
    return (
        `Reach ${server} without an Application Load Balancer: clients connect through ECS Service Connect or Cloud Map service discovery ` +
        `(\`serviceConnectConfiguration\` / \`serviceRegistries\` on the service), or put a Network Load Balancer with a TCP target group${port ? ` on port ${port}` : ""} and a TCP health check in front of it; ` +
        `drop the ALB target group from the service's \`loadBalancers\``
    );
}
