# Scoring rules shared by bench/score.R and bench/correlate.R, as canrelax-analyze applies them: a mean of the
# answered items when at least ceil(min_answered × items − 1e-9) are answered, or that mean × items (prorated sum).
# Each function takes the data.table `d` of the caller.
score_mean <- function(d, cols, min_answered = 0.75) {
  m <- as.matrix(d[, ..cols]); answered <- rowSums(!is.na(m))
  s <- rowMeans(m, na.rm = TRUE); s[answered < ceiling(min_answered * length(cols) - 1e-9)] <- NA; s
}
score_sum <- function(d, cols, need) {
  m <- as.matrix(d[, ..cols]); answered <- rowSums(!is.na(m))
  s <- rowMeans(m, na.rm = TRUE) * length(cols); s[answered < need] <- NA; s
}
wai <- function(i) paste0("wai_", i)
