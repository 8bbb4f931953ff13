package newsdesk.solrcloud.analysis;

import java.io.IOException;
import java.util.Locale;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Whoosh's LowercaseFilter: Python's str.lower(), which, like Java's String.toLowerCase and unlike
 * Lucene's per-character LowerCaseFilter, applies Unicode's special casing ("İ" to "i̇", a final
 * "Σ" to "ς").
 */
public final class WhooshLowercaseFilter extends TokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

  public WhooshLowercaseFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!input.incrementToken()) {
      return false;
    }
    String text = term.toString();
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.equals(text)) {
      term.setEmpty().append(lower);
    }
    return true;
  }
}
