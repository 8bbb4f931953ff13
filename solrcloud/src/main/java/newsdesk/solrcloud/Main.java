package newsdesk.solrcloud;

import java.util.Arrays;
import java.util.concurrent.TimeoutException;

/**
 * The launcher's commands; solrcloud/cluster runs each in its own JVM.
 *
 * <pre>
 *   zookeeper --port 18981 --data DIR              a ZooKeeper server (foreground)
 *   node --port 18983 --home DIR --zk HOST:PORT     one Solr node (foreground)
 *   setup --zk HOST:PORT --ports P1,P2,P3 --configset DIR   configset, collection, alias
 *   wait --zk HOST:PORT --ports P1,P2,P3          waits for those nodes and active replicas
 *   status --zk HOST:PORT                           prints live nodes and every replica's state
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      usage();
    }
    int status;
    try {
      Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
      status =
          switch (args[0]) {
            case "zookeeper" -> ZooKeeperNode.run(options);
            case "node" -> SolrNode.run(options);
            case "setup" -> ClusterSetup.run(options);
            case "wait" -> ClusterWait.run(options);
            case "status" -> ClusterStatus.run(options);
            default -> usage();
          };
    } catch (TimeoutException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("solrcloud: " + e.getMessage());
      status = 1;
    } catch (Exception e) {
      // Exit even though a half-started server may have left threads running.
      e.printStackTrace();
      status = 1;
    }
    if (status >= 0) {
      System.exit(status);
    }
    // Negative: a server stopped by a signal; the JVM is already shutting down.
  }

  private static int usage() {
    System.err.println(
        "usage: Main zookeeper|node|setup|wait|status [--option value]... (see Main.java)");
    System.exit(2);
    return 2;
  }
}
