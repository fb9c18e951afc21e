#!/usr/bin/env bash
# Rådslag's two commands. Each sets up what it needs on a fresh machine first.
#
#   ./run.sh app    set up, prepare the models, start the search app over corpus/
#   ./run.sh test   set up, then run the whole test suite (slow and browser tests included)
#
# Environment: PYTHON (default python3), TORCH_INDEX_URL (a pip index serving
# CPU builds of torch, for machines where torch==2.13.0 is not on local disk),
# RADSLAG_ARCHIVE, RADSLAG_CACHE, RADSLAG_MODEL (see README).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
TORCH_VERSION=2.13.0

setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> Skapar virtuell miljö (creating virtualenv) i $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  # shellcheck disable=SC1091
  . "$VENV/bin/activate"
  local stamp="$VENV/.radslag-installed"
  local want
  want=$(cat pyproject.toml run.sh | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  python -m pip install -q --upgrade pip
  # torch first, CPU build: a bare torch requirement would pull a multi-GB CUDA build.
  if ! python -c "import torch" 2>/dev/null; then
    echo "==> Installerar torch $TORCH_VERSION (CPU)"
    if [ -n "${TORCH_INDEX_URL:-}" ]; then
      python -m pip install -q "torch==$TORCH_VERSION" --index-url "$TORCH_INDEX_URL"
    else
      python -m pip install -q "torch==$TORCH_VERSION"
    fi
  fi
  echo "==> Installerar Rådslag och beroenden (installing dependencies)"
  python -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
}

browser() {
  # Browser tests drive Debian's Chromium (browser downloads are not possible offline).
  if command -v chromium >/dev/null 2>&1; then return; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "==> Installerar chromium för webbläsartesterna (installing chromium)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "!! chromium kunde inte installeras; webbläsartesterna hoppas över med en förklaring"
  else
    echo "!! chromium saknas och apt-get går inte att köra; webbläsartesterna hoppas över med en förklaring"
  fi
}

ocr() {
  # Scanned minutes are read with Tesseract's Swedish model (Debian packages, not pip).
  if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -x swe >/dev/null; then return; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "==> Installerar tesseract-ocr och tesseract-ocr-swe för skannade protokoll (installing OCR)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-swe >/dev/null) \
      || echo "!! tesseract-ocr-swe kunde inte installeras; skannade PDF:er avvisas med \"OCR behövs\" och OCR-testerna hoppas över"
  else
    echo "!! tesseract-ocr/tesseract-ocr-swe saknas och apt-get går inte att köra (kräver root); skannade PDF:er avvisas" \
         "med \"OCR behövs\" och OCR-testerna hoppas över. Installera: apt-get install tesseract-ocr tesseract-ocr-swe"
  fi
}

case "${1:-}" in
  app)
    shift
    setup
    ocr
    radslag models
    exec radslag serve "$@"
    ;;
  test)
    shift
    setup
    browser
    ocr
    exec python -m pytest -q -ra "$@"
    ;;
  setup)
    setup
    ;;
  *)
    echo "Användning (usage): ./run.sh app | ./run.sh test" >&2
    exit 2
    ;;
esac
