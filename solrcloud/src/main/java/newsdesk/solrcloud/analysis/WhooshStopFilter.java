package newsdesk.solrcloud.analysis;

import java.io.IOException;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Whoosh's StopFilter: drops stop words and tokens shorter than minSize or longer than maxSize
 * characters (Unicode code points, as Python counts) and, unlike Lucene's StopFilter, leaves no gap
 * where they were: Whoosh renumbers the positions, so "president of france" and "president
 * france" are the same phrase.
 */
public final class WhooshStopFilter extends TokenFilter {
  private final CharArraySet stopWords;
  private final int minSize;
  private final int maxSize;
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final PositionIncrementAttribute increment =
      addAttribute(PositionIncrementAttribute.class);
  private boolean keptOne;

  public WhooshStopFilter(TokenStream input, CharArraySet stopWords, int minSize, int maxSize) {
    super(input);
    this.stopWords = stopWords;
    this.minSize = minSize;
    this.maxSize = maxSize;
  }

  @Override
  public boolean incrementToken() throws IOException {
    int dropped = 0;
    while (input.incrementToken()) {
      int length = Character.codePointCount(term.buffer(), 0, term.length());
      if (length >= minSize && length <= maxSize && !stopWords.contains(term.buffer(), 0, term.length())) {
        // Like Whoosh, only the first token kept counts the dropped ones before it.
        if (!keptOne) {
          increment.setPositionIncrement(increment.getPositionIncrement() + dropped);
          keptOne = true;
        }
        return true;
      }
      dropped += increment.getPositionIncrement();
    }
    return false;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    keptOne = false;
  }
}
