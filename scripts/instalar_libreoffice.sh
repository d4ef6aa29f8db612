#!/usr/bin/env bash
# LibreOffice Calc sin interfaz gráfica: la prueba del anexo (tests/test_anexo_recalculo.py)
# recalcula con él cada fórmula del libro. Se instala con apt-get sólo si falta `soffice`.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
echo "Instalando LibreOffice Calc (sin interfaz gráfica) para la prueba del anexo"
$sudo_cmd apt-get update -qq
# libreoffice-calc-nogui es más liviano; las versiones de Debian que no lo tienen usan
# libreoffice-calc.
if apt-cache show libreoffice-calc-nogui >/dev/null 2>&1; then
  paquete=libreoffice-calc-nogui
else
  paquete=libreoffice-calc
fi
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$paquete"
command -v soffice >/dev/null 2>&1 || {
  echo "No se pudo instalar LibreOffice: falta el comando soffice" >&2
  exit 1
}
