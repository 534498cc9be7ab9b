# The layers of coopsim and what each may include, read by CMakeLists.txt (one library per
# layer) and by cmake/check_layers.cmake (which refuses an upward #include). A file belongs to
# the first layer whose pattern matches its path (relative to the source root).
#
#   app, api ──► run ──► market ──► ledger, governance ──► platform ──► sim
#   report ──► schema ──► sim (a run directory through the output schema, never the world)
#   the writers (ledger, governance, market, run) ──► schema: the tables of what each output
#   holds (models/schema), pure data below every model
#
# api is libcoopsim's public API (include/coopsim.h, api/): a front end beside the program.
#
# The scenario's own struct and table (models/scenario*) compose every model's keys and are read
# by the market, so they sit in the market layer.
set(COOPSIM_LAYERS sim schema platform ledger governance market run report api app)
set(COOPSIM_LAYER_app_FILES "^app/")
set(COOPSIM_LAYER_api_FILES "^api/" "^include/")
set(COOPSIM_LAYER_sim_FILES "^sim/")
set(COOPSIM_LAYER_schema_FILES "^models/schema/")
set(COOPSIM_LAYER_platform_FILES "^models/platform/")
set(COOPSIM_LAYER_ledger_FILES "^models/ledger/")
set(COOPSIM_LAYER_governance_FILES "^models/governance/")
set(COOPSIM_LAYER_market_FILES "^models/market/" "^models/scenario")
set(COOPSIM_LAYER_run_FILES "^models/run\\." "^models/run_")
set(COOPSIM_LAYER_report_FILES "^models/report/")
# What each layer may include besides itself.
set(COOPSIM_LAYER_sim_USES "")
set(COOPSIM_LAYER_schema_USES sim)
set(COOPSIM_LAYER_platform_USES sim)
set(COOPSIM_LAYER_ledger_USES sim schema platform)
set(COOPSIM_LAYER_governance_USES sim schema platform)
set(COOPSIM_LAYER_market_USES sim schema platform ledger governance)
set(COOPSIM_LAYER_run_USES sim schema platform ledger governance market)
set(COOPSIM_LAYER_report_USES sim schema)
set(COOPSIM_LAYER_api_USES sim schema platform ledger governance market run)
set(COOPSIM_LAYER_app_USES sim schema platform ledger governance market run report api)

# The layer of a path relative to the source root, or "" when it is in none.
function(coopsim_layer_of path out)
  foreach(layer ${COOPSIM_LAYERS})
    foreach(re ${COOPSIM_LAYER_${layer}_FILES})
      if(path MATCHES "${re}")
        set(${out} ${layer} PARENT_SCOPE)
        return()
      endif()
    endforeach()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()
