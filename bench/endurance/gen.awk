# gen.awk - the endurance run's text: reads sentences (one per line), then writes lines until
# `bytes` bytes: sentence i mod n, made unique by the line number and two words of another one
# (whole words, so that the text stays valid UTF-8).
{ s[n++] = $0 }
END {
    for (i = 0; total < bytes; i++) {
        nw = split(s[(i * 7 + 3) % n], w, " ")
        line = i " " s[i % n] " " w[1 + i % nw] " " w[1 + (i * 5) % nw]
        if (total + length(line) + 1 > bytes) break
        print line
        total += length(line) + 1
    }
}
