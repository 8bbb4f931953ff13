/**
 * Token filters that analyse text exactly as Newsdesk's Whoosh analyzer does
 * ({@code StemmingAnalyzer() | CharsetFilter(accent_map)} in articles/backend.py), so Solr and
 * Whoosh find the same articles and highlight the same words.
 *
 * <p>Lucene's own filters differ where Whoosh 2.7.4 is idiosyncratic: its Porter stemmer skips most
 * of step 1b ("escalated" stems to "escalat", Lucene's to "escal"), its stop filter leaves no
 * position gaps (the phrase "president of france" matches "president france"), Python lower-cases
 * "İ" to "i̇", and its accent map differs from ASCIIFolding (it keeps "æ", maps "ß" to "s").
 * Each filter here is the Java twin of one Whoosh filter; tests/solr/test_analysis.py compares the
 * two token streams over a corpus. The configset names these classes, so a Solr that serves it
 * needs this jar on its class path (the launcher's nodes have it).
 */
package newsdesk.solrcloud.analysis;
