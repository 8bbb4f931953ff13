package newsdesk.solrcloud;

import java.time.Duration;

/** Prints live nodes, aliases and every replica's state, as ZooKeeper holds them. */
final class ClusterStatus {
  private ClusterStatus() {}

  static int run(Options options) throws Exception {
    Duration timeout = Duration.ofSeconds(options.integer("timeout", 5));
    try (Cluster cluster = Cluster.connect(options.string("zk"), timeout)) {
      System.out.print(cluster.describe());
    }
    return 0;
  }
}
