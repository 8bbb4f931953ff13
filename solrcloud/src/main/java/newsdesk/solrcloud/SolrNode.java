package newsdesk.solrcloud;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Properties;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.solr.servlet.CoreContainerProvider;
import org.apache.solr.servlet.SolrDispatchFilter;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One SolrCloud node: Jetty on 127.0.0.1:port serving Solr at /solr, as Solr's own server does
 * (its web.xml: CoreContainerProvider, then SolrDispatchFilter on every path).
 *
 * <p>The node keeps its cores under its home directory, so a node started again on the same port
 * and home comes back with its replicas and recovers them from the shard leaders.
 */
final class SolrNode {
  private SolrNode() {}

  static int run(Options options) throws Exception {
    int port = options.integer("port");
    Path home = options.path("home");
    Files.createDirectories(home);
    Path solrXml = home.resolve("solr.xml");
    if (!Files.exists(solrXml)) {
      try (InputStream defaults = SolrNode.class.getResourceAsStream("/solr.xml")) {
        Files.copy(defaults, solrXml);
      }
    }
    // Read by solr.xml (${zkHost}, ${hostPort}) and by Solr's logging and metrics code.
    System.setProperty("zkHost", options.string("zk"));
    System.setProperty("hostPort", Integer.toString(port));
    System.setProperty("jetty.port", Integer.toString(port));
    System.setProperty("solr.log.dir", home.resolve("logs").toString());

    Server server = new Server(new QueuedThreadPool(10_000));
    HttpConfiguration http = new HttpConfiguration();
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setReuseAddress(true);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/solr");
    context.setAttribute(SolrDispatchFilter.SOLRHOME_ATTRIBUTE, home.toString());
    context.setAttribute(SolrDispatchFilter.PROPERTIES_ATTRIBUTE, new Properties());
    context.addEventListener(new CoreContainerProvider());
    FilterHolder dispatch = new FilterHolder(SolrDispatchFilter.class);
    context.addFilter(dispatch, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(NotFound.class, "/");

    // Lets requests in flight finish when the node is stopped (SIGTERM), as Solr's server does.
    StatisticsHandler graceful = new StatisticsHandler();
    graceful.setHandler(context);
    server.setHandler(graceful);
    server.setStopTimeout(15_000);
    server.setStopAtShutdown(true);
    server.start();
    System.out.printf("Solr node on http://127.0.0.1:%d/solr, home %s%n", port, home);
    server.join();
    return -1;
  }

  /** Paths that Solr does not handle: a plain 404 rather than Jetty's error page. */
  public static final class NotFound extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.sendError(404, "Not found: " + request.getRequestURI());
    }
  }
}
