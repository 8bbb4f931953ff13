"""The SolrCloud engine: the only place that speaks to Solr (HTTP, query syntax, collections, configset)."""
