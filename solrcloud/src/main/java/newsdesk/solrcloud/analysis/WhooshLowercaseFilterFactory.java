package newsdesk.solrcloud.analysis;

import java.util.Map;
import org.apache.lucene.analysis.TokenFilterFactory;
import org.apache.lucene.analysis.TokenStream;

/** {@code <filter class="newsdesk.solrcloud.analysis.WhooshLowercaseFilterFactory"/>} */
public class WhooshLowercaseFilterFactory extends TokenFilterFactory {
  public static final String NAME = "whooshLowercase";

  public WhooshLowercaseFilterFactory(Map<String, String> args) {
    super(args);
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("Unknown parameters: " + args);
    }
  }

  /** For Lucene's service loader only. */
  public WhooshLowercaseFilterFactory() {
    throw defaultCtorException();
  }

  @Override
  public TokenStream create(TokenStream input) {
    return new WhooshLowercaseFilter(input);
  }

  @Override
  public TokenStream normalize(TokenStream input) {
    return create(input);
  }
}
