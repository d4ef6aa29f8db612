#!/usr/bin/env bash
# LibreOffice Calc y Writer sin interfaz gráfica: la prueba del anexo
# (tests/test_anexo_recalculo.py) recalcula con Calc cada fórmula del libro, y la del documento
# de Word (tests/test_word.py) convierte informe.docx a PDF con Writer. Se instalan con apt-get
# sólo si falta alguno de los dos.
set -euo pipefail
programa=""
if command -v soffice >/dev/null 2>&1; then
  programa="$(dirname "$(readlink -f "$(command -v soffice)")")"
fi
# Cada módulo de LibreOffice es una biblioteca: libsclo (Calc) y libswlo (Writer).
if [ -n "$programa" ] && [ -e "$programa/libsclo.so" ] && [ -e "$programa/libswlo.so" ]; then
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
echo "Instalando LibreOffice Calc y Writer (sin interfaz gráfica) para las pruebas del anexo y del DOCX"
$sudo_cmd apt-get update -qq
# Los paquetes -nogui son más livianos; las versiones de Debian que no los tienen usan los otros.
paquetes=()
for modulo in calc writer; do
  if apt-cache show "libreoffice-$modulo-nogui" >/dev/null 2>&1; then
    paquetes+=("libreoffice-$modulo-nogui")
  else
    paquetes+=("libreoffice-$modulo")
  fi
done
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${paquetes[@]}"
command -v soffice >/dev/null 2>&1 || {
  echo "No se pudo instalar LibreOffice: falta el comando soffice" >&2
  exit 1
}
