package newsdesk.solrcloud.analysis;

import java.util.Map;
import org.apache.lucene.analysis.TokenFilterFactory;
import org.apache.lucene.analysis.TokenStream;

/** {@code <filter class="newsdesk.solrcloud.analysis.WhooshPorterStemFilterFactory"/>} */
public class WhooshPorterStemFilterFactory extends TokenFilterFactory {
  public static final String NAME = "whooshPorterStem";

  public WhooshPorterStemFilterFactory(Map<String, String> args) {
    super(args);
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("Unknown parameters: " + args);
    }
  }

  /** For Lucene's service loader only. */
  public WhooshPorterStemFilterFactory() {
    throw defaultCtorException();
  }

  @Override
  public TokenStream create(TokenStream input) {
    return new WhooshPorterStemFilter(input);
  }
}
