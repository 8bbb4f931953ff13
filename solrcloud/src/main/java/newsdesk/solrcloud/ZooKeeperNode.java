package newsdesk.solrcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.zookeeper.server.ZooKeeperServerMain;

/** A standalone ZooKeeper server on 127.0.0.1 that keeps its data in a directory. */
final class ZooKeeperNode {
  private ZooKeeperNode() {}

  static int run(Options options) throws Exception {
    Path data = options.path("data");
    Files.createDirectories(data);
    Path config = data.resolve("zoo.cfg");
    Files.write(
        config,
        List.of(
            "tickTime=2000",
            "dataDir=" + data,
            "clientPortAddress=127.0.0.1",
            "clientPort=" + options.integer("port"),
            "maxClientCnxns=0",
            // Snapshots and logs of a small cluster state: keep the newest three.
            "autopurge.snapRetainCount=3",
            "autopurge.purgeInterval=1"));
    // ZooKeeper's own admin web server would take port 8080.
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.jmx.log4j.disable", "true");
    ZooKeeperServerMain.main(new String[] {config.toString()});
    return -1;
  }
}
