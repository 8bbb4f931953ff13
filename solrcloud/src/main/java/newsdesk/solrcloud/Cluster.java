package newsdesk.solrcloud;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.cloud.ClusterState;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.cloud.ZkStateReader;

/** A SolrJ connection to the cluster through ZooKeeper, and what the commands wait for. */
final class Cluster implements AutoCloseable {
  final CloudSolrClient client;
  final ZkStateReader state;
  private final long deadline;

  private Cluster(CloudSolrClient client, long deadline) {
    this.client = client;
    this.state = ZkStateReader.from(client);
    this.deadline = deadline;
  }

  /** Connects, retrying while ZooKeeper starts; every later wait shares the same deadline. */
  static Cluster connect(String zkHost, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      CloudSolrClient client =
          new CloudHttp2SolrClient.Builder(List.of(zkHost), Optional.empty())
              .withZkConnectTimeout(5, TimeUnit.SECONDS)
              .build();
      try {
        client.connect();
        return new Cluster(client, deadline);
      } catch (RuntimeException e) {
        client.close();
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no ZooKeeper at " + zkHost + ": " + e.getMessage());
        }
        Thread.sleep(500);
      }
    }
  }

  long remainingMillis() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  /** The node name a Solr node on this loopback port registers under, e.g. 127.0.0.1:18983_solr. */
  static String nodeName(int port) {
    return "127.0.0.1:" + port + "_solr";
  }

  void waitForLiveNodes(Collection<String> nodes) throws InterruptedException, TimeoutException {
    try {
      state.waitForLiveNodes(
          remainingMillis(), TimeUnit.MILLISECONDS, (before, now) -> now.containsAll(nodes));
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "expected live Solr nodes " + nodes + ", have " + state.getClusterState().getLiveNodes());
    }
  }

  /**
   * Waits until each node answers its health check with all its cores loaded and active
   * (/admin/info/health?requireHealthyCores=true). ZooKeeper alone can still show a restarted
   * node's replicas as they were before it went down.
   */
  void waitForHealthyNodes(Collection<Integer> ports) throws InterruptedException, TimeoutException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (int port : ports) {
      URI health =
          URI.create(
              "http://127.0.0.1:" + port + "/solr/admin/info/health?requireHealthyCores=true&wt=json");
      String last = "no answer";
      while (true) {
        try {
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            break;
          }
          last = response.body();
        } catch (IOException e) {
          last = e.toString();
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("node on port " + port + " not healthy: " + last);
        }
        Thread.sleep(250);
      }
    }
  }

  /**
   * Waits until each shard of the collection has an active leader and every replica on a live node
   * is active (recovered); with allNodes, replicas on nodes that are down count as not active.
   */
  void waitForActive(String collection, boolean allNodes)
      throws InterruptedException, TimeoutException {
    try {
      state.waitForState(
          collection,
          remainingMillis(),
          TimeUnit.MILLISECONDS,
          (live, state) -> active(live, state, allNodes));
    } catch (TimeoutException e) {
      throw new TimeoutException("replicas not all active:\n" + describe());
    }
  }

  private static boolean active(Set<String> live, DocCollection collection, boolean allNodes) {
    if (collection == null) {
      return false;
    }
    for (Slice slice : collection.getSlices()) {
      if (slice.getLeader() == null || !slice.getLeader().isActive(live)) {
        return false;
      }
      for (Replica replica : slice.getReplicas()) {
        boolean expected = allNodes || live.contains(replica.getNodeName());
        if (expected && !replica.isActive(live)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The cluster as text, e.g.
   *
   * <pre>
   * live nodes: 127.0.0.1:18983_solr 127.0.0.1:18984_solr 127.0.0.1:18985_solr
   * alias newsdesk -> newsdesk_1
   * collection newsdesk_1 (configset newsdesk)
   *   shard1 core_node3 127.0.0.1:18983_solr active leader
   * </pre>
   */
  String describe() {
    ClusterState cluster = state.getClusterState();
    Set<String> live = cluster.getLiveNodes();
    StringBuilder out = new StringBuilder();
    out.append("live nodes: ").append(String.join(" ", new TreeSet<>(live))).append('\n');
    state.getAliases()
        .getCollectionAliasListMap()
        .forEach(
            (alias, targets) ->
                out.append("alias ").append(alias).append(" -> ")
                    .append(String.join(",", targets)).append('\n'));
    for (String name : new TreeSet<>(cluster.getCollectionNames())) {
      DocCollection collection = cluster.getCollectionOrNull(name);
      if (collection == null) {
        continue;
      }
      out.append("collection ").append(name)
          .append(" (configset ").append(collection.getConfigName()).append(")\n");
      for (Slice slice : collection.getSlices()) {
        Replica leader = slice.getLeader();
        for (Replica replica : slice.getReplicas()) {
          String status = replica.isActive(live) ? "active" : replica.getState().toString();
          if (!live.contains(replica.getNodeName())) {
            status += " (node down)";
          }
          out.append("  ").append(slice.getName()).append(' ').append(replica.getName())
              .append(' ').append(replica.getNodeName()).append(' ').append(status)
              .append(leader != null && leader.getName().equals(replica.getName()) ? " leader" : "")
              .append('\n');
        }
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
