package newsdesk.solrcloud.analysis;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Whoosh's CharsetFilter: replaces each character of a token found in the map (Python's
 * str.translate), after stemming, as Newsdesk's analyzer folds accents.
 */
public final class WhooshCharsetFilter extends TokenFilter {
  private final Map<Integer, String> map;
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final StringBuilder translated = new StringBuilder();

  public WhooshCharsetFilter(TokenStream input, Map<Integer, String> map) {
    super(input);
    this.map = map;
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!input.incrementToken()) {
      return false;
    }
    translated.setLength(0);
    boolean changed = false;
    for (int i = 0; i < term.length(); ) {
      int codePoint = Character.codePointAt(term.buffer(), i, term.length());
      String replacement = map.get(codePoint);
      if (replacement == null) {
        translated.appendCodePoint(codePoint);
      } else {
        translated.append(replacement);
        changed = true;
      }
      i += Character.charCount(codePoint);
    }
    if (changed) {
      term.setEmpty().append(translated);
    }
    return true;
  }
}
