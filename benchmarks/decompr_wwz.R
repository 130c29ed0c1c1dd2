# R decompr (bquast/decompr) WWZ and KWW on one WIOD 2013 table, for benchmarks/bench_gvc.py.
# Usage: Rscript decompr_wwz.R WIOT_RDATA YEAR OUTDIR
# The row gap o - rowSums(inter) - rowSums(final) (rounding) is added to each economy's own
# CONS_h column, the policy of chainatlas.chains.decomposition, so both run on the same system.
suppressMessages(library(decompr))
args <- commandArgs(trailingOnly = TRUE)
e <- new.env(); load(args[1], envir = e)
w <- get(sprintf("wiot_%s", args[2]), envir = e)
x <- w$inter; y <- w$final; o <- as.numeric(w$output); k <- w$countries; i <- w$industries
storage.mode(x) <- "double"; storage.mode(y) <- "double"
G <- length(k); N <- length(i); fdc <- ncol(y) / G
gap <- o - rowSums(x) - rowSums(y)
for (s in 1:G) {
  rows <- ((s - 1) * N + 1):(s * N)
  y[rows, (s - 1) * fdc + 1] <- y[rows, (s - 1) * fdc + 1] + gap[rows]
}
t0 <- Sys.time()
obj <- load_tables_vectors(x = x, y = y, k = k, i = i, o = o)
ww <- wwz(obj)
t1 <- Sys.time()
kw <- kww(obj)
t2 <- Sys.time()
cat(sprintf("decompr_wwz_seconds %.3f\ndecompr_kww_seconds %.3f\n",
            as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs")))
write.csv(ww, file.path(args[3], "wwz.csv"), row.names = FALSE)
write.csv(kw, file.path(args[3], "kww.csv"), row.names = FALSE)
