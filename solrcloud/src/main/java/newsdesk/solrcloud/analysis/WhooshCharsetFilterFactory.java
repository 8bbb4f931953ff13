package newsdesk.solrcloud.analysis;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenFilterFactory;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.util.ResourceLoader;
import org.apache.lucene.util.ResourceLoaderAware;

/**
 * {@code <filter class="newsdesk.solrcloud.analysis.WhooshCharsetFilterFactory"
 * mapping="whoosh-accent-map.txt"/>}: one {@code "\u00e9" => "e"} rule a line, the syntax of
 * Solr's MappingCharFilterFactory, each source a single character.
 */
public class WhooshCharsetFilterFactory extends TokenFilterFactory implements ResourceLoaderAware {
  public static final String NAME = "whooshCharset";

  // "\u00c0" => "a"  (an empty target deletes the character)
  private static final Pattern RULE = Pattern.compile("^\"(.+)\"\\s*=>\\s*\"(.*)\"$");
  private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})");

  private final String mappingFile;
  private Map<Integer, String> map;

  public WhooshCharsetFilterFactory(Map<String, String> args) {
    super(args);
    mappingFile = require(args, "mapping");
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("Unknown parameters: " + args);
    }
  }

  /** For Lucene's service loader only. */
  public WhooshCharsetFilterFactory() {
    throw defaultCtorException();
  }

  @Override
  public void inform(ResourceLoader loader) throws IOException {
    Map<Integer, String> rules = new HashMap<>();
    for (String line : getLines(loader, mappingFile)) {
      Matcher rule = RULE.matcher(line);
      if (!rule.matches()) {
        throw new IllegalArgumentException(mappingFile + ": not a mapping rule: " + line);
      }
      String source = unescape(rule.group(1));
      if (source.codePointCount(0, source.length()) != 1) {
        throw new IllegalArgumentException(mappingFile + ": source is not one character: " + line);
      }
      rules.put(source.codePointAt(0), unescape(rule.group(2)));
    }
    map = Map.copyOf(rules);
  }

  private static String unescape(String text) {
    return ESCAPE.matcher(text)
        .replaceAll(escape -> Matcher.quoteReplacement(
            String.valueOf((char) Integer.parseInt(escape.group(1), 16))));
  }

  @Override
  public TokenStream create(TokenStream input) {
    return new WhooshCharsetFilter(input, map);
  }

  @Override
  public TokenStream normalize(TokenStream input) {
    return create(input);
  }
}
