# Cronbach's alpha of the PHQ-ADS total (PHQ-9 + GAD-7, 16 items) on the bundled example, for `score --summary`
# (issue 9.6). psych::alpha on the rows with every item answered (raw alpha). Run from the repository root:
#   Rscript test/reference/phqads_alpha.R
# Writes test/reference/phqads_alpha.json.
suppressMessages({ library(jsonlite); library(psych) })
d <- read.csv("examples/canrelax-synthetic.csv")
out <- list()
for (tp in c("t0", "w10")) {
  items <- c(sprintf("phq9_%d_%s", 1:9, tp), sprintf("gad7_%d_%s", 1:7, tp))
  x <- d[complete.cases(d[, items]), items]
  a <- psych::alpha(x, check.keys = FALSE, warnings = FALSE)
  out[[paste0("phqads_total_", tp)]] <- list(alpha = a$total$raw_alpha, n = nrow(x), item_total_r = unname(a$item.stats$r.drop))
}
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/phqads_alpha.json")
