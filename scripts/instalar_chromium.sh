#!/usr/bin/env bash
# Chromium de la distribución, sin interfaz: las pruebas de la página de `informe-poa app`
# (tests/test_pagina_navegador.py, marca navegador) lo manejan con Playwright en
# /usr/bin/chromium; Playwright nunca baja un navegador propio. Se instala con apt-get sólo
# si falta. (En Ubuntu el paquete chromium es un snap y no deja /usr/bin/chromium: allí las
# pruebas de la página se saltan y lo dicen.)
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
echo "Instalando Chromium para las pruebas de la página en el navegador"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium
[ -x /usr/bin/chromium ] || {
  echo "No se pudo instalar Chromium: falta /usr/bin/chromium" >&2
  exit 1
}
