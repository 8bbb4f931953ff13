package newsdesk.solrcloud.analysis;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;

/** Whoosh's StemFilter with its Porter stemmer ({@link WhooshPorterStemmer}); keywords are kept. */
public final class WhooshPorterStemFilter extends TokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);

  public WhooshPorterStemFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!input.incrementToken()) {
      return false;
    }
    if (!keyword.isKeyword()) {
      String text = term.toString();
      String stem = WhooshPorterStemmer.stem(text);
      if (!stem.equals(text)) {
        term.setEmpty().append(stem);
      }
    }
    return true;
  }
}
