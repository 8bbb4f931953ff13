package newsdesk.solrcloud;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Command-line options of the form {@code --name value}. */
final class Options {
  private final Map<String, String> values;

  private Options(Map<String, String> values) {
    this.values = values;
  }

  // ["--port", "18983", "--home", "/tmp/n1"] -> {port=18983, home=/tmp/n1}
  static Options parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got: " + args[i]);
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    return new Options(values);
  }

  String string(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing option --" + name);
    }
    return value;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name) {
    return Integer.parseInt(string(name));
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? integer(name) : fallback;
  }

  Path path(String name) {
    return Path.of(string(name)).toAbsolutePath().normalize();
  }
}
