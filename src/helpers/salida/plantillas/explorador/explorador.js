/* El explorador del informe (docs/tablero.md): lee el modelo del tablero del elemento
   #explorador-datos (JSON) y arma, con Tabulator, la tabla que se despliega de la entidad a
   la operación, sus filtros, el detalle de una operación, las posiciones y el mapa.
   Todo texto de los datos entra como texto (textContent, o el formato «plaintext» de
   Tabulator, que lo escapa): nada de los datos se lee como marcas. */
(function () {
  "use strict";
  var raiz = document.getElementById("explorador");
  var fuente = document.getElementById("explorador-datos");
  if (!raiz || !fuente || typeof Tabulator === "undefined") { return; }
  var M = expandir(JSON.parse(fuente.textContent));
  var auditoria = raiz.getAttribute("data-auditoria") || "";
  var anexo = raiz.getAttribute("data-anexo") || "anexo.xlsx";
  var porId = {};
  M.filas.forEach(function (f) { porId[f.id] = f; });
  var estado = {periodo: M.periodos.length ? M.periodos[0].clave : "", semaforo: "", acp: "",
                grupo: "", departamento: "", alertas: false, buscar: ""};
  var SIMBOLO = {verde: "●", amarillo: "▲", rojo: "■"};
  var agrupacion = M.agrupacion || "grupo";
  var NIVEL = {entidad: "Entidad", servicio: agrupacion.charAt(0).toUpperCase() + agrupacion.slice(1),
               area: "Área",
               unidad: "Unidad", operacion: "Operación", acp: "ACP"};

  /* El modelo llega con sus filas por columnas (helpers.salida.explorador.compacto): cada
     fila vuelve a ser un objeto; su nivel sale de su id, y su grupo y su área, del árbol. */
  function expandir(c) {
    var NIVELES = {e: "entidad", g: "servicio", a: "area", u: "unidad", o: "operacion", p: "acp"};
    function fila(valores) {
      var f = {};
      c.campos.forEach(function (campo, i) { f[campo] = valores[i] === undefined ? null : valores[i]; });
      f.nivel = NIVELES[f.id.split(":")[0]];
      var nombres = c.cifras_de[f.nivel === "operacion" ? "operacion" : "otra"];
      f.cifras = {};
      c.periodos.forEach(function (p, i) {
        var suyas = {};
        var lista = valores[c.campos.length][i] || [];
        nombres.forEach(function (n, j) { suyas[n] = lista[j] === undefined ? null : lista[j]; });
        f.cifras[p.clave] = suyas;
      });
      f.alertas = f.alertas || [];
      f.acps = f.acps || [];
      return f;
    }
    c.filas = c.filas.map(fila);
    c.acps = c.acps.map(fila);
    var porId = {};
    c.filas.forEach(function (f) { porId[f.id] = f; });
    c.filas.forEach(function (f) {
      var p = f;
      while (p) {
        if (p.nivel === "servicio" && !f.grupo) { f.grupo = p.codigo; }
        if (p.nivel === "area" && !f.area) { f.area = p.codigo; }
        if (p.departamento && !f.departamento) { f.departamento = p.departamento; }
        p = p.padre ? porId[p.padre] : null;
      }
    });
    // Las ACP de una unidad, de un área o de un grupo: las de sus operaciones.
    c.filas.forEach(function (f) {
      if (f.nivel !== "operacion") { return; }
      var p = f.padre ? porId[f.padre] : null;
      while (p) {
        f.acps.forEach(function (a) { if (p.acps.indexOf(a) < 0) { p.acps.push(a); } });
        p = p.padre ? porId[p.padre] : null;
      }
    });
    return c;
  }

  /* Los números como los escribe el informe: 1.234,56 (el modelo ya viene redondeado). */
  function numero(v, decimales) {
    if (v === null || v === undefined || v === "") { return "—"; }
    var d = decimales === undefined ? 2 : decimales;
    var partes = Math.abs(v).toFixed(d).split(".");
    var entero = partes[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var texto = entero + (d > 0 ? "," + partes[1] : "");
    return (v < 0 && Number(texto.replace(/\./g, "").replace(",", ".")) !== 0 ? "-" : "") + texto;
  }
  function porcentaje(v) { return v === null || v === undefined ? "—" : numero(v) + " %"; }
  function el(etiqueta, clase, texto) {
    var nodo = document.createElement(etiqueta);
    if (clase) { nodo.className = clase; }
    if (texto !== undefined && texto !== null) { nodo.textContent = String(texto); }
    return nodo;
  }
  function cifra(f, indicador) {
    var c = (f.cifras || {})[estado.periodo] || {};
    return c[indicador] === undefined ? null : c[indicador];
  }
  function semaforo(valor) {
    var s = el("span", "exp-semaforo exp-" + (valor || "ninguno"));
    s.textContent = valor ? (SIMBOLO[valor] ? SIMBOLO[valor] + " " : "") + valor : "—";
    return s;
  }
  function enlaceMemoria(f) {
    var a = M.anclas[f.nivel];
    if (!a) { return null; }
    var enlace = el("a", "exp-derivacion", "memoria");
    enlace.href = auditoria + "#" + a.ancla;
    enlace.target = "_blank";
    enlace.rel = "noopener";
    enlace.title = "Dónde se calcula: memoria de cálculo; en el anexo, hoja «" + a.hoja + "» (" +
      anexo + ")";
    return enlace;
  }

  /* --- Las cifras de la entidad ---------------------------------------------------------- */
  function cabecera() {
    var caja = raiz.querySelector(".exp-cifras");
    caja.textContent = "";
    var entidad = porId.e;
    [["avance_fisico", "Avance físico"], ["eficacia", "Eficacia"],
     ["ejecucion", "Ejecución financiera"], ["calificacion", "Calificación"]].forEach(function (par) {
      var tarjeta = el("div", "exp-tarjeta");
      tarjeta.setAttribute("data-indicador", par[0]);
      tarjeta.appendChild(el("div", "exp-tarjeta-titulo", par[1]));
      var valor = cifra(entidad, par[0]);
      tarjeta.appendChild(el("div", "exp-tarjeta-valor",
                             par[0] === "calificacion" ? (valor || "—") : porcentaje(valor)));
      var antes = M.anterior && M.anterior[estado.periodo];
      if (antes && par[0] !== "calificacion" && typeof antes[par[0]] === "number" &&
          typeof valor === "number") {
        var cambio = Math.round((valor - antes[par[0]]) * 100) / 100;
        tarjeta.appendChild(el("div", "exp-cambio", (cambio > 0 ? "▲ +" : cambio < 0 ? "▼ " : "= ") +
                               numero(cambio) + " puntos respecto del informe anterior"));
      }
      caja.appendChild(tarjeta);
    });
    var tarjeta = el("div", "exp-tarjeta");
    tarjeta.appendChild(el("div", "exp-tarjeta-titulo", "Semáforo"));
    var valor = el("div", "exp-tarjeta-valor");
    valor.appendChild(semaforo(entidad.semaforo));
    tarjeta.appendChild(valor);
    caja.appendChild(tarjeta);
    if (!M.anterior) {
      caja.appendChild(el("p", "exp-nota", "Sin informe anterior para comparar (los " +
                          "parámetros no nombran informe_anterior)."));
    }
  }

  /* --- Barras de las áreas y las ACP ------------------------------------------------------ */
  function barras(selector, filas, titulo) {
    var caja = raiz.querySelector(selector);
    caja.textContent = "";
    caja.appendChild(el("h4", null, titulo));
    var leyenda = el("div", "exp-barra-fila exp-barra-leyenda");
    leyenda.appendChild(el("span", null, ""));
    leyenda.appendChild(el("span", null, "Eficacia"));
    leyenda.appendChild(el("span", null, "Ejecución financiera"));
    caja.appendChild(leyenda);
    filas.forEach(function (f) {
      var fila = el("div", "exp-barra-fila");
      fila.appendChild(el("span", "exp-barra-nombre", f.nombre));
      [["eficacia", "exp-fisico"], ["ejecucion", "exp-financiero"]].forEach(function (par) {
        var v = cifra(f, par[0]);
        var barra = el("span", "exp-barra " + par[1]);
        var relleno = el("span", "exp-relleno");
        relleno.style.width = Math.max(0, Math.min(100, v || 0)) + "%";
        barra.appendChild(relleno);
        barra.appendChild(el("span", "exp-barra-valor", porcentaje(v)));
        fila.appendChild(barra);
      });
      caja.appendChild(fila);
    });
  }

  /* --- Posiciones y unidades sin reporte ------------------------------------------------- */
  function posiciones() {
    var caja = raiz.querySelector(".exp-posiciones");
    caja.textContent = "";
    var suyas = (M.posiciones || {})[estado.periodo] || {};
    [["eficacia", "Eficacia"], ["ejecucion", "Ejecución financiera"]].forEach(function (par) {
      var lista = suyas[par[0]] || {mejores: [], peores: []};
      [["mejores", "las más altas"], ["peores", "las más bajas"]].forEach(function (cual) {
        var bloque = el("div", "exp-posicion");
        bloque.setAttribute("data-posicion", par[0] + "-" + cual[0]);
        bloque.appendChild(el("h4", null, par[1] + ": " + cual[1]));
        var ol = el("ol");
        lista[cual[0]].forEach(function (id) {
          ol.appendChild(el("li", null, porId[id].nombre + " — " + porcentaje(cifra(porId[id], par[0]))));
        });
        bloque.appendChild(ol);
        caja.appendChild(bloque);
      });
    });
    var sin = raiz.querySelector(".exp-sin-reporte");
    sin.textContent = "";
    sin.appendChild(el("h4", null, "Unidades que no reportaron"));
    if (!M.sin_reporte.length) {
      sin.appendChild(el("p", null, "Todas las unidades reportaron."));
    } else {
      var ul = el("ul");
      M.sin_reporte.forEach(function (u) {
        ul.appendChild(el("li", null, u.nombre + " (" + u.codigo + "): " + u.motivos.join("; ")));
      });
      sin.appendChild(ul);
    }
  }

  /* --- La tabla -------------------------------------------------------------------------- */
  function filtrando() {
    return estado.semaforo || estado.acp || estado.grupo || estado.departamento ||
      estado.alertas || estado.buscar;
  }
  function pasa(f) {
    if (f.nivel === "acp") { return false; }
    if (estado.semaforo && f.semaforo !== estado.semaforo) { return false; }
    if (estado.acp && (f.acps || []).indexOf(estado.acp) < 0) { return false; }
    if (estado.grupo && f.grupo !== estado.grupo) { return false; }
    if (estado.departamento && f.departamento !== estado.departamento) { return false; }
    if (estado.alertas && !(f.alertas || []).length) { return false; }
    if (estado.buscar) {
      var texto = (f.codigo + " " + f.nombre).toLocaleLowerCase("es");
      if (texto.indexOf(estado.buscar.toLocaleLowerCase("es")) < 0) { return false; }
    }
    return true;
  }
  function ruta(f) {
    var partes = [];
    var p = f.padre ? porId[f.padre] : null;
    while (p) { partes.unshift(p.nombre); p = p.padre ? porId[p.padre] : null; }
    return partes.join(" › ");
  }
  function datos() {
    var filas = M.filas.map(function (f) {
      var c = (f.cifras || {})[estado.periodo] || {};
      return {id: f.id, nivel: NIVEL[f.nivel] || f.nivel, codigo: f.codigo, nombre: f.nombre,
              ruta: ruta(f),
              avance: f.nivel === "operacion" ? null : c.avance_fisico,
              eficacia: f.nivel === "operacion" ? c.cumplimiento : c.eficacia,
              ejecucion: c.ejecucion === undefined ? null : c.ejecucion,
              calificacion: c.calificacion || "", semaforo: f.semaforo || "",
              alertas: (f.alertas || []).length, padre: f.padre, _f: f};
    });
    if (filtrando()) {
      return filas.filter(function (d) { return pasa(d._f); });
    }
    var hijos = {};
    filas.forEach(function (d) {
      if (d.padre) { (hijos[d.padre] = hijos[d.padre] || []).push(d); }
    });
    filas.forEach(function (d) { if (hijos[d.id]) { d._children = hijos[d.id]; } });
    return filas.filter(function (d) { return !d.padre && d._f.nivel !== "acp"; });
  }
  function formatoPorcentaje(celda) { return porcentaje(celda.getValue()); }
  function formatoSemaforo(celda) { return semaforo(celda.getValue()); }
  function formatoDerivacion(celda) {
    return enlaceMemoria(celda.getRow().getData()._f) || "";
  }
  var tabla = null;
  function armarTabla() {
    var columnas = [
      // Tabulator pone como HTML la cadena que devuelve un tooltip: va un elemento con el
      // código como texto.
      {title: "Nombre", field: "nombre", widthGrow: 4, formatter: "plaintext",
       tooltip: function (e, celda) { return el("div", null, celda.getRow().getData().codigo); }},
      {title: "Código", field: "codigo", widthGrow: 1, formatter: "plaintext"},
      {title: "Tipo", field: "nivel", widthGrow: 1, formatter: "plaintext"},
      {title: "Avance", field: "avance", headerTooltip: "Avance físico", hozAlign: "right", sorter: "number",
       formatter: formatoPorcentaje},
      {title: "Eficacia", field: "eficacia",
       headerTooltip: "Eficacia (en una operación, su cumplimiento)", hozAlign: "right", sorter: "number",
       formatter: formatoPorcentaje},
      {title: "Ejecución", field: "ejecucion", headerTooltip: "Ejecución financiera", hozAlign: "right", sorter: "number",
       formatter: formatoPorcentaje},
      {title: "Calificación", field: "calificacion", formatter: "plaintext"},
      {title: "Semáforo", field: "semaforo", formatter: formatoSemaforo},
      {title: "Alertas", field: "alertas", hozAlign: "right", sorter: "number"},
      {title: "Dónde se deriva", field: "id", headerSort: false, formatter: formatoDerivacion}
    ];
    if (filtrando()) {
      columnas.splice(1, 0, {title: "Dentro de", field: "ruta", widthGrow: 3, formatter: "plaintext"});
    }
    if (tabla) { tabla.destroy(); }
    var filas = datos();
    tabla = new Tabulator(raiz.querySelector(".exp-tabla"), {
      data: filas, columns: columnas, layout: "fitColumns", dataTree: !filtrando(),
      dataTreeStartExpanded: function (fila, nivel) { return nivel < 1; },
      index: "id", maxHeight: "34em", columnDefaults: {headerWordWrap: true, minWidth: 70}, placeholder: "Ninguna fila cumple los filtros."
    });
    tabla.on("rowClick", function (e, fila) {
      if (e.target.closest && e.target.closest("a")) { return; }
      detalle(fila.getData()._f);
    });
    raiz.querySelector(".exp-conteo").textContent = filtrando()
      ? filas.length + (filas.length === 1 ? " fila cumple" : " filas cumplen") + " los filtros."
      : "Despliegue cada fila con su flecha: entidad, " + (M.agrupacion || "grupo") +
        ", área, unidad y operación.";
  }

  /* --- El detalle de una operación (o de otra fila) -------------------------------------- */
  function detalle(f) {
    var caja = raiz.querySelector(".exp-detalle");
    caja.textContent = "";
    caja.setAttribute("data-id", f.id);
    caja.appendChild(el("h4", null, (NIVEL[f.nivel] || f.nivel) + " " + f.codigo + ": " + f.nombre));
    caja.appendChild(el("p", "exp-ruta", ruta(f)));
    var enlace = enlaceMemoria(f);
    if (enlace) {
      var p = el("p", null, "Dónde se deriva: ");
      p.appendChild(enlace);
      p.appendChild(document.createTextNode(" · anexo, hoja «" + M.anclas[f.nivel].hoja + "»"));
      caja.appendChild(p);
    }
    (f.alertas || []).forEach(function (a) { caja.appendChild(el("p", "exp-alerta", "Alerta: " + a)); });
    var d = M.detalle[f.codigo];
    if (f.nivel !== "operacion" || !d) { return; }
    if (f.indicador) {
      caja.appendChild(el("p", null, "Indicador: " + f.indicador + " (" + f.unidad_medida + ")"));
    }
    var t = el("table", "exp-meses");
    var cab = el("tr");
    cab.appendChild(el("th", null, "Mes"));
    var prog = el("tr"); prog.appendChild(el("th", null, "Programado"));
    var ejec = el("tr"); ejec.appendChild(el("th", null, "Ejecutado"));
    d.programado.forEach(function (v, i) {
      cab.appendChild(el("th", null, M.nombres_meses[i]));
      prog.appendChild(el("td", null, numero(v, 0)));
      ejec.appendChild(el("td", null, numero(d.ejecutado[i], 0)));
    });
    t.appendChild(cab); t.appendChild(prog); t.appendChild(ejec);
    caja.appendChild(t);
    caja.appendChild(el("p", null, "Medio de verificación: " + (d.medio_verificacion || "—")));
    var narrativa = (M.narrativa || {})[porId[f.padre] ? porId[f.padre].codigo : ""] || [];
    if (narrativa.length) {
      caja.appendChild(el("p", null, "Lo que dijo la unidad en el periodo:"));
      var ul = el("ul");
      narrativa.forEach(function (n) { ul.appendChild(el("li", null, n)); });
      caja.appendChild(ul);
    }
    caja.appendChild(el("p", null, d.evidencias.length
      ? "Evidencias: " + d.evidencias.join("; ") : "Sin evidencias registradas."));
  }

  /* --- Los filtros ----------------------------------------------------------------------- */
  function opciones(select, valores) {
    valores.forEach(function (v) {
      var o = el("option", null, v[1]);
      o.value = v[0];
      select.appendChild(o);
    });
  }
  function filtros() {
    var periodo = raiz.querySelector("[name=periodo]");
    opciones(periodo, M.periodos.map(function (p) { return [p.clave, p.titulo]; }));
    opciones(raiz.querySelector("[name=semaforo]"),
             [["verde", "● verde"], ["amarillo", "▲ amarillo"], ["rojo", "■ rojo"]]);
    opciones(raiz.querySelector("[name=acp]"), M.acps.map(function (a) {
      return [a.codigo, a.codigo + ": " + (a.nombre.length > 60 ? a.nombre.slice(0, 57) + "…" : a.nombre)];
    }));
    opciones(raiz.querySelector("[name=grupo]"), M.filas.filter(function (f) {
      return f.nivel === "servicio";
    }).map(function (f) { return [f.codigo, f.nombre]; }));
    var deptos = raiz.querySelector("[name=departamento]");
    if (M.departamentos && M.departamentos.length) {
      opciones(deptos, M.departamentos.map(function (d) { return [d.codigo, d.nombre]; }));
    } else {
      deptos.parentNode.style.display = "none";
    }
    var espera = null;
    raiz.querySelectorAll(".exp-filtros select, .exp-filtros input").forEach(function (control) {
      control.addEventListener(control.type === "search" ? "input" : "change", function () {
        var nombre = control.getAttribute("name");
        estado[nombre] = control.type === "checkbox" ? control.checked : control.value;
        // La búsqueda espera a que se deje de escribir; lo demás cambia enseguida.
        clearTimeout(espera);
        espera = setTimeout(function () { todo(nombre === "periodo"); },
                            control.type === "search" ? 200 : 0);
      });
    });
    raiz.querySelectorAll("[data-departamento]").forEach(function (zona) {
      zona.addEventListener("click", function () {
        deptos.value = zona.getAttribute("data-departamento");
        estado.departamento = deptos.value;
        todo(false);
        raiz.querySelector(".exp-tabla").scrollIntoView();
      });
    });
  }
  function todo(conCifras) {
    if (conCifras !== false) {
      cabecera();
      barras(".exp-areas", M.filas.filter(function (f) { return f.nivel === "area"; }), "Áreas");
      barras(".exp-acps", M.acps, "Acciones de corto plazo (ACP)");
      posiciones();
    }
    armarTabla();
  }

  raiz.hidden = false;
  document.documentElement.classList.add("con-explorador");
  if (document.body.classList.contains("informe")) {
    // En informe.html el explorador está al final: un enlace fijo lleva a él.
    var ir = el("a", "exp-ir", "Explorar las cifras");
    ir.href = "#explorador";
    document.body.appendChild(ir);
  }
  filtros();
  todo(true);
  window.explorador = {tabla: function () { return tabla; }, modelo: M, detalle: function (id) {
    detalle(porId[id]);
  }};
})();
