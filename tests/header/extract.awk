# extract.awk - prints the code of the "Typical use" example of src/textclf.h: the comment
# lines after " * Typical use" that are indented by four more spaces, without their " *     "
# (blank comment lines kept as blank lines), up to the end of that comment.
#   awk -f tests/header/extract.awk src/textclf.h > example.inc
/^ \* Typical use/ { on = 1; next }
on && /^ \*\// { exit }
on && /^ \*     / { print substr($0, 8); found++; next }
on && /^ \*$/ { print ""; next }
END { if (!found) { print "extract.awk: no example found after \" * Typical use\"" > "/dev/stderr"; exit 1 } }
