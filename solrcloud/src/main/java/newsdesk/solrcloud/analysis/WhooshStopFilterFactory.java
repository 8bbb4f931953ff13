package newsdesk.solrcloud.analysis;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilterFactory;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.util.ResourceLoader;
import org.apache.lucene.util.ResourceLoaderAware;

/**
 * {@code <filter class="newsdesk.solrcloud.analysis.WhooshStopFilterFactory" words="stopwords.txt"
 * minSize="2" maxSize="8000"/>}: words is one lower-case word a line, as Whoosh's STOP_WORDS;
 * maxSize is unlimited unless given.
 */
public class WhooshStopFilterFactory extends TokenFilterFactory implements ResourceLoaderAware {
  public static final String NAME = "whooshStop";

  private final String wordsFile;
  private final int minSize;
  private final int maxSize;
  private CharArraySet stopWords;

  public WhooshStopFilterFactory(Map<String, String> args) {
    super(args);
    wordsFile = require(args, "words");
    minSize = getInt(args, "minSize", 2);
    maxSize = getInt(args, "maxSize", Integer.MAX_VALUE);
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("Unknown parameters: " + args);
    }
  }

  /** For Lucene's service loader only. */
  public WhooshStopFilterFactory() {
    throw defaultCtorException();
  }

  @Override
  public void inform(ResourceLoader loader) throws IOException {
    stopWords = getWordSet(loader, wordsFile, false);
  }

  @Override
  public TokenStream create(TokenStream input) {
    return new WhooshStopFilter(input, stopWords, minSize, maxSize);
  }
}
