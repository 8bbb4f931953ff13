package newsdesk.solrcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.cloud.SolrZkClient;
import org.apache.solr.common.cloud.ZkMaintenanceUtils;

/**
 * Uploads the configset, creates the collection and its alias if missing, and waits until every
 * replica is active. Safe to run again: the configset is replaced and an existing collection is
 * reloaded with it; an alias already pointing elsewhere (after a rebuild) is left alone.
 */
final class ClusterSetup {
  private ClusterSetup() {}

  static int run(Options options) throws Exception {
    Path configset = options.path("configset");
    String configName = options.string("configset-name", "newsdesk");
    String collection = options.string("collection", "newsdesk_1");
    String alias = options.string("alias", "newsdesk");
    int shards = options.integer("shards", 2);
    int replicas = options.integer("replicas", 2);
    List<Integer> ports =
        Arrays.stream(options.string("ports").split(",")).map(p -> Integer.parseInt(p.trim())).toList();
    List<String> nodes = ports.stream().map(Cluster::nodeName).toList();
    if (!Files.isRegularFile(configset.resolve("solrconfig.xml"))) {
      System.err.println("not a configset (no solrconfig.xml): " + configset);
      return 2;
    }
    Duration timeout = Duration.ofSeconds(options.integer("timeout", 180));
    try (Cluster cluster = Cluster.connect(options.string("zk"), timeout)) {
      cluster.waitForLiveNodes(nodes);

      // Written straight to ZooKeeper (as `solr zk upconfig` does): a trusted configset.
      SolrZkClient zk = cluster.state.getZkClient();
      String zkPath = "/configs/" + configName;
      if (zk.exists(zkPath, true)) {
        ZkMaintenanceUtils.clean(zk, zkPath);
      }
      ZkMaintenanceUtils.uploadToZK(
          zk, configset, zkPath, ZkMaintenanceUtils.UPLOAD_FILENAME_EXCLUDE_PATTERN);

      if (cluster.state.getClusterState().hasCollection(collection)) {
        CollectionAdminRequest.reloadCollection(collection).process(cluster.client);
      } else {
        CollectionAdminRequest.createCollection(collection, configName, shards, replicas)
            .process(cluster.client);
      }
      cluster.waitForActive(collection, true);
      cluster.waitForHealthyNodes(ports);
      checkShardsSpread(cluster.state.getClusterState().getCollection(collection));

      cluster.state.getAliasesManager().update();
      if (cluster.state.getAliases().resolveSimpleAlias(alias).equals(alias)) {
        CollectionAdminRequest.createAlias(alias, collection).process(cluster.client);
      }
      System.out.print(cluster.describe());
    }
    return 0;
  }

  /** Two replicas of one shard on one node would lose the shard with that node. */
  private static void checkShardsSpread(DocCollection collection) {
    for (Slice slice : collection.getSlices()) {
      Set<String> nodes = new HashSet<>();
      for (Replica replica : slice.getReplicas()) {
        if (!nodes.add(replica.getNodeName())) {
          throw new IllegalStateException(
              slice.getName() + " has two replicas on " + replica.getNodeName());
        }
      }
    }
  }
}
