package newsdesk.solrcloud.analysis;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line-by-line port of Whoosh 2.7.4's whoosh.lang.porter.stem, quirks included.
 *
 * <p>Whoosh tests several step-1b patterns with Python's re.match, which anchors at the start of
 * the word, so "(at|bl|iz)$" only matches the whole word "at": "escalated" stems to "escalat" and
 * "added" to "add", where the published algorithm (and Lucene's PorterStemFilter) gives "escal"
 * and "ad". Python's re.match is {@link Matcher#lookingAt()} here; lengths count code points.
 */
final class WhooshPorterStemmer {
  private WhooshPorterStemmer() {}

  private static final Map<String, String> STEP2 =
      Map.ofEntries(
          Map.entry("ational", "ate"),
          Map.entry("tional", "tion"),
          Map.entry("enci", "ence"),
          Map.entry("anci", "ance"),
          Map.entry("izer", "ize"),
          Map.entry("bli", "ble"),
          Map.entry("alli", "al"),
          Map.entry("entli", "ent"),
          Map.entry("eli", "e"),
          Map.entry("ousli", "ous"),
          Map.entry("ization", "ize"),
          Map.entry("ation", "ate"),
          Map.entry("ator", "ate"),
          Map.entry("alism", "al"),
          Map.entry("iveness", "ive"),
          Map.entry("fulness", "ful"),
          Map.entry("ousness", "ous"),
          Map.entry("aliti", "al"),
          Map.entry("iviti", "ive"),
          Map.entry("biliti", "ble"),
          Map.entry("logi", "log"));

  private static final Map<String, String> STEP3 =
      Map.of(
          "icate", "ic",
          "ative", "",
          "alize", "al",
          "iciti", "ic",
          "ical", "ic",
          "ful", "",
          "ness", "");

  private static final String CONS_SEQ = "[^aeiouy]+";
  private static final String VOWEL = "[aeiouy]";
  private static final String VOWEL_SEQ = "[aeiou]+";

  private static final Pattern MGR0 = Pattern.compile("^(" + CONS_SEQ + ")?" + VOWEL_SEQ + CONS_SEQ);
  private static final Pattern MEQ1 =
      Pattern.compile(
          "^(" + CONS_SEQ + ")?" + VOWEL_SEQ + CONS_SEQ + "(" + VOWEL_SEQ + ")?$");
  private static final Pattern MGR1 =
      Pattern.compile("^(" + CONS_SEQ + ")?" + VOWEL_SEQ + CONS_SEQ + VOWEL_SEQ + CONS_SEQ);
  private static final Pattern S_V = Pattern.compile("^(" + CONS_SEQ + ")?" + VOWEL);
  private static final Pattern C_V = Pattern.compile("^" + CONS_SEQ + VOWEL + "[^aeiouwxy]$");

  private static final Pattern ED_ING = Pattern.compile("^(.*)(ed|ing)$");
  private static final Pattern AT_BL_IZ = Pattern.compile("(at|bl|iz)$");
  private static final Pattern STEP1B = Pattern.compile("([^aeiouylsz])\\1$");
  private static final Pattern STEP2_SUFFIX =
      Pattern.compile(
          "^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator"
              + "|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$");
  private static final Pattern STEP3_SUFFIX =
      Pattern.compile("^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$");
  private static final Pattern STEP4_1 =
      Pattern.compile(
          "^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$");
  private static final Pattern STEP4_2 = Pattern.compile("^(.+?)(s|t)(ion)$");
  private static final Pattern STEP5 = Pattern.compile("^(.+?)e$");

  /** Python's re.match(pattern, text). */
  private static boolean match(Pattern pattern, String text) {
    return pattern.matcher(text).lookingAt();
  }

  /** Python's text[:-n] for n code points. */
  private static String dropLast(String text, int n) {
    return text.substring(0, text.offsetByCodePoints(text.length(), -n));
  }

  static String stem(String w) {
    if (w.codePointCount(0, w.length()) < 3) {
      return w;
    }
    boolean firstIsY = w.charAt(0) == 'y';
    if (firstIsY) {
      w = "Y" + w.substring(1);
    }

    // Step 1a
    if (w.endsWith("s")) {
      if (w.endsWith("sses")) {
        w = dropLast(w, 2);
      } else if (w.endsWith("ies")) {
        w = dropLast(w, 2);
      } else if (w.codePointBefore(w.offsetByCodePoints(w.length(), -1)) != 's') {
        w = dropLast(w, 1);
      }
    }

    // Step 1b
    if (w.endsWith("eed")) {
      if (match(MGR0, dropLast(w, 3))) {
        w = dropLast(w, 1);
      }
    } else {
      Matcher m = ED_ING.matcher(w);
      if (m.lookingAt()) {
        String stem = m.group(1);
        if (match(S_V, stem)) {
          w = stem;
          if (match(AT_BL_IZ, w)) {
            w += "e";
          } else if (match(STEP1B, w)) {
            w = dropLast(w, 1);
          } else if (match(C_V, w)) {
            w += "e";
          }
        }
      }
    }

    // Step 1c
    if (w.endsWith("y")) {
      String stem = dropLast(w, 1);
      if (match(S_V, stem)) {
        w = stem + "i";
      }
    }

    // Step 2
    Matcher m = STEP2_SUFFIX.matcher(w);
    if (m.lookingAt() && match(MGR0, m.group(1))) {
      w = m.group(1) + STEP2.get(m.group(2));
    }

    // Step 3
    m = STEP3_SUFFIX.matcher(w);
    if (m.lookingAt() && match(MGR0, m.group(1))) {
      w = m.group(1) + STEP3.get(m.group(2));
    }

    // Step 4
    m = STEP4_1.matcher(w);
    if (m.lookingAt()) {
      if (match(MGR1, m.group(1))) {
        w = m.group(1);
      }
    } else {
      m = STEP4_2.matcher(w);
      if (m.lookingAt()) {
        String stem = m.group(1) + m.group(2);
        if (match(MGR1, stem)) {
          w = stem;
        }
      }
    }

    // Step 5
    m = STEP5.matcher(w);
    if (m.lookingAt()) {
      String stem = m.group(1);
      if (match(MGR1, stem) || (match(MEQ1, stem) && !match(C_V, stem))) {
        w = stem;
      }
    }
    if (w.endsWith("ll") && match(MGR1, w)) {
      w = dropLast(w, 1);
    }

    if (firstIsY) {
      w = "y" + w.substring(1);
    }
    return w;
  }
}
