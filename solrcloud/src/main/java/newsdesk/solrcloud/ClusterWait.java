package newsdesk.solrcloud;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Waits until the nodes on the given ports are live and, in every collection, each shard has an
 * active leader and every replica on a live node is active, and each of those nodes reports its
 * own cores loaded and active (so a restarted node has recovered).
 */
final class ClusterWait {
  private ClusterWait() {}

  static int run(Options options) throws Exception {
    List<Integer> ports =
        Arrays.stream(options.string("ports").split(",")).map(p -> Integer.parseInt(p.trim())).toList();
    List<String> nodes = ports.stream().map(Cluster::nodeName).toList();
    Duration timeout = Duration.ofSeconds(options.integer("timeout", 180));
    try (Cluster cluster = Cluster.connect(options.string("zk"), timeout)) {
      cluster.waitForLiveNodes(nodes);
      for (String collection : cluster.state.getClusterState().getCollectionNames()) {
        cluster.waitForActive(collection, false);
      }
      cluster.waitForHealthyNodes(ports);
    }
    return 0;
  }
}
