# A FILE the user may not read, between two that can be read. Root may read any file, so under
# root (as in CI) the command runs as user nobody, from a copy of the binary, the model and the
# inputs in a directory nobody can enter; the message is the same either way.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cp "$TEXTCLF" "$MODELS/tiny.json" a.txt b.txt "$d/"
printf 'secret\n' > "$d/secret.txt"
chmod 000 "$d/secret.txt"
chmod 755 "$d"
chmod 644 "$d/a.txt" "$d/b.txt" "$d/tiny.json"
cd "$d" || exit 99
if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups ./textclf -m tiny.json a.txt secret.txt b.txt
else
    ./textclf -m tiny.json a.txt secret.txt b.txt
fi
