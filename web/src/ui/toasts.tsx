import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react'

interface Toast {
  id: number
  text: string
}

const TOAST_MS = 6000
const ToastContext = createContext<(text: string) => void>(() => {})

/** Short notices in a polite live region, so screen readers announce them without moving focus. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const nextId = useRef(0)
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), [])
  const notify = useCallback(
    (text: string) => {
      const id = nextId.current++
      setToasts((all) => [...all.slice(-3), { id, text }])
      setTimeout(() => dismiss(id), TOAST_MS)
    },
    [dismiss],
  )
  const value = useMemo(() => notify, [notify])
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div className="toast" key={toast.id}>
            <span>{toast.text}</span>
            <button
              type="button"
              className="link-button"
              onClick={() => dismiss(toast.id)}
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}

export function useToast(): (text: string) => void {
  return useContext(ToastContext)
}
